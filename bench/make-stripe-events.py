#!/usr/bin/env python3
"""Writes N signed Stripe payment_intent.succeeded deliveries for the wrk script, split over T files
(PREFIX.0 … PREFIX.T-1, one per wrk thread), one delivery a line: the Stripe-Signature value, a tab, the body.
Event ids start with RUN (e.g. evt_satAB12_), so a run's events can be counted apart from others in the inbox.
Signed now: run the load within Stripe's 300 s tolerance. The payments are created now too, inside the
practice window, as the test payments of someone practising."""
import hashlib, hmac, json, sys, time, uuid

count, secret, prefix, fixture, threads, run = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6]
template = json.load(open(fixture))  # a payment_intent fixture object
t = int(time.time())
files = [open(f"{prefix}.{i}", "w") for i in range(threads)]
for i in range(count):
    pi = dict(template, id=f"pi_{run}{uuid.uuid4().hex[:20]}", status="succeeded", amount_received=template["amount"], created=t)
    event = {"id": f"evt_{run}{uuid.uuid4().hex[:20]}", "object": "event", "api_version": "2026-10-28.endive",
             "created": t, "data": {"object": pi}, "livemode": False, "pending_webhooks": 1,
             "request": {"id": None, "idempotency_key": None}, "type": "payment_intent.succeeded"}
    body = json.dumps(event, separators=(",", ":"))
    sig = hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
    files[i % threads].write(f"t={t},v1={sig}\t{body}\n")
for f in files:
    f.close()
