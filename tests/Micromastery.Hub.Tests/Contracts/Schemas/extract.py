#!/usr/bin/env python3
"""Cuts the schemas the contract test needs out of the providers' published OpenAPI descriptions.

Each output file is one JSON Schema (draft 2020-12) document whose $defs hold the named roots and every
schema they reach through $ref (resolved transitively, rewritten to #/$defs/...). OpenAPI 3.0 wording is
turned into JSON Schema on the way, so validation is faithful:
  nullable: true            -> "null" added to type (and to enum), or anyOf [schema, {type: null}]
  exclusiveMinimum: true    -> exclusiveMinimum: <minimum> (same for maximum)
  format                    -> kept only for the formats JSON Schema defines (Stripe's unix-time, int32... dropped)
  description, example, x-* -> dropped (they do not constrain and would make the files large)
additionalProperties is kept exactly as each provider wrote it: extra fields are allowed unless a schema forbids them.

Usage (see README.md beside this file for where each input comes from):
  python3 extract.py github  <@octokit/openapi generated/api.github.com.json> <@octokit/openapi-webhooks generated/api.github.com.json> "<source note>"
  python3 extract.py stripe  <stripe/openapi openapi/spec3.json or spec3.yaml> "<source note>"
  python3 extract.py calcom  <calcom/cal.com docs/api-reference/v2/openapi.json> "<source note>"
"""
import json
import sys

STANDARD_FORMATS = {"date-time", "date", "time", "duration", "email", "hostname", "ipv4", "ipv6", "uri",
                    "uri-reference", "uuid", "json-pointer", "regex"}
DROPPED = {"description", "example", "examples", "discriminator", "xml", "externalDocs", "deprecated",
           "readOnly", "writeOnly", "title", "nullable", "$comment"}
PREFIX = "#/components/schemas/"
EXPANDED = None  # set for Stripe: the name of the stand-in for an expanded object


def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith((".yaml", ".yml")):
            import yaml  # only the YAML edition of a spec needs PyYAML
            return yaml.safe_load(f)
        return json.load(f)


def convert(node, seen):
    if isinstance(node, list):
        return [convert(x, seen) for x in node]
    if not isinstance(node, dict):
        return node
    if "x-expansionResources" in node and EXPANDED:
        # An expandable field holds an id unless the request expanded it; the expanded object stands in as any
        # object with an id, so the cut does not pull in most of the spec (customer, invoice, account...).
        node = {**node, "anyOf": [x if "$ref" not in x else {"$ref": PREFIX + EXPANDED} for x in node["anyOf"]]}
    out = {}
    for key, value in node.items():
        if key.startswith("x-") or key in DROPPED:
            continue
        if key == "$ref":
            if not value.startswith(PREFIX):
                raise ValueError(f"unexpected $ref {value}")
            name = value[len(PREFIX):]
            seen.add(name)
            out["$ref"] = "#/$defs/" + name
        elif key in ("properties", "patternProperties"):
            out[key] = {k: convert(v, seen) for k, v in value.items()}
        elif key == "format":
            if value in STANDARD_FORMATS:
                out[key] = value
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in node:
                out[key] = node[bound]
        elif key in ("minimum", "maximum") and node.get("exclusiveM" + key[1:]) is True:
            continue
        else:
            out[key] = convert(value, seen)
    if node.get("nullable") is True:
        out = nullable(out)
    if "$ref" in out and len(out) > 1:
        # OpenAPI 3.0 ignores a $ref's siblings; keep them only where JSON Schema would read them the same way.
        out = {"$ref": out["$ref"]} if set(out) <= {"$ref", "default"} else {"allOf": [{"$ref": out.pop("$ref")}], **out}
    return out


def nullable(schema):
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = kind + ["null"]
    elif kind is None and any(k in schema for k in ("$ref", "anyOf", "oneOf", "allOf")):
        return {"anyOf": [schema, {"type": "null"}]}
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = schema["enum"] + [None]
    return schema


def cut(spec, roots, source, schema_id, extra=None):
    """roots: name -> schema object (already taken out of the spec). Returns one JSON Schema document."""
    components = {**spec.get("components", {}).get("schemas", {}), **(extra or {})}
    defs, pending = {}, set()
    for name, schema in roots.items():
        defs[name] = convert(schema, pending)
    while pending - defs.keys():
        name = sorted(pending - defs.keys())[0]
        defs[name] = convert(components[name], pending)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "$comment": source,
        "$defs": dict(sorted(defs.items())),
    }


def response(spec, path, status="200"):
    return spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def webhook(spec, name):
    return spec["webhooks"][name]["post"]["requestBody"]["content"]["application/json"]["schema"]


def github(rest_path, hooks_path, source):
    rest, hooks = load(rest_path), load(hooks_path)
    rest_doc = cut(rest, {
        "workflow-runs-list": response(rest, "/repos/{owner}/{repo}/actions/runs"),
        "hook-deliveries-list": response(rest, "/repos/{owner}/{repo}/hooks/{hook_id}/deliveries"),
        "hook-delivery-single": response(rest, "/repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}"),
    }, source, "https://micromastery-hub.invalid/contracts/github-rest.json")
    # Webhook bodies are named after GitHub's event-action pairs: Fixtures/github/workflow_run.completed.json -> workflow-run-completed.
    events = ["workflow-run-completed", "workflow-run-requested", "workflow-run-in-progress", "check-suite-completed",
              "check-run-completed", "issues-opened", "ping", "push", "deployment-status-created", "page-build"]
    hooks_doc = cut(hooks, {e: webhook(hooks, e) for e in events}, source,
                    "https://micromastery-hub.invalid/contracts/github-webhooks.json")
    write("github-rest.json", rest_doc)
    write("github-webhooks.json", hooks_doc)


def stripe(spec_path, source):
    global EXPANDED
    EXPANDED = "expanded_object"
    spec = load(spec_path)
    stand_in = {EXPANDED: {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}
    components = spec["components"]["schemas"]
    names = ["charge", "checkout.session", "event", "payment_intent", "payment_link"]
    write("stripe.json", cut(spec, {n: components[n] for n in names}, source,
                             "https://micromastery-hub.invalid/contracts/stripe.json", stand_in))


def calcom(spec_path, source):
    spec = load(spec_path)
    write("calcom.json", cut(spec, {
        "bookings-list": response(spec, "/v2/bookings"),
        "event-types-list": response(spec, "/v2/event-types"),
    }, source, "https://micromastery-hub.invalid/contracts/calcom.json"))


def write(name, doc):
    with open(name, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{name}: {len(doc['$defs'])} schemas")


if __name__ == "__main__":
    provider, *args = sys.argv[1:]
    {"github": github, "stripe": stripe, "calcom": calcom}[provider](*args)
