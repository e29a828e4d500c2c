#!/usr/bin/env python3
"""Writes N signed Stripe payment_intent.succeeded deliveries (one JSON line each) for the wrk script.
Signed now: run the load within Stripe's 300 s tolerance."""
import hashlib, hmac, json, sys, time, uuid

count, secret, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
template = json.load(open(sys.argv[4]))  # a payment_intent fixture object
t = str(int(time.time()))
with open(out, "w") as f:
    for i in range(count):
        pi = dict(template, id="pi_bench" + uuid.uuid4().hex[:20], status="succeeded", amount_received=template["amount"])
        event = {"id": "evt_bench" + uuid.uuid4().hex[:20], "object": "event", "api_version": "2026-10-28.endive",
                 "created": int(t), "data": {"object": pi}, "livemode": False, "pending_webhooks": 1,
                 "request": {"id": None, "idempotency_key": None}, "type": "payment_intent.succeeded"}
        body = json.dumps(event, separators=(",", ":"))
        sig = hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()
        f.write(json.dumps({"sig": f"t={t},v1={sig}", "body": body}) + "\n")
