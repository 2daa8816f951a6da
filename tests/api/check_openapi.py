#!/usr/bin/env python3
"""Lints api/openapi.yaml and checks a real `csctl serve` against it.

Usage: check_openapi.py CSCTL_BINARY OPENAPI_YAML

The lint: OpenAPI 3.0 structure, every $ref resolves, operation ids unique, path templates and path
parameters agree, every schema is a valid JSON Schema. The conformance check: every documented
operation is called on a server started on a free 127.0.0.1 port (always stopped), and each
answer's status must be documented for that operation and its JSON body must match the schema.
"""
import copy
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
problems = []


def problem(text):
    problems.append(text)
    print("FAIL: " + text, file=sys.stderr)


def resolve(doc, ref):
    if not ref.startswith("#/"):
        raise KeyError(ref)
    node = doc
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def walk_refs(doc, node, where):
    if isinstance(node, dict):
        if "$ref" in node:
            try:
                resolve(doc, node["$ref"])
            except KeyError:
                problem(f"{where}: $ref {node['$ref']} does not resolve")
        for k, v in node.items():
            walk_refs(doc, v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk_refs(doc, v, f"{where}/{i}")


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"])
    return node


def to_json_schema(doc, schema):
    """OpenAPI 3.0 schema → JSON Schema (nullable → a null alternative; refs inlined)."""
    schema = deref(doc, schema)
    if isinstance(schema, list):
        return [to_json_schema(doc, s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k in ("example", "nullable", "description"):
            continue
        if k in ("properties",):
            out[k] = {name: to_json_schema(doc, s) for name, s in v.items()}
        elif k in ("items", "additionalProperties", "not") and isinstance(v, dict):
            out[k] = to_json_schema(doc, v)
        elif k in ("oneOf", "anyOf", "allOf"):
            out[k] = [to_json_schema(doc, s) for s in v]
        else:
            out[k] = copy.deepcopy(v)
    if schema.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def lint(doc):
    if not str(doc.get("openapi", "")).startswith("3.0"):
        problem("openapi: must be a 3.0.x document")
    for key in ("title", "version"):
        if key not in doc.get("info", {}):
            problem(f"info.{key} is missing")
    walk_refs(doc, doc, "#")
    seen_ids = set()
    for path, item in doc.get("paths", {}).items():
        if not path.startswith("/"):
            problem(f"path {path} does not start with /")
        template = set(re.findall(r"{([^}]+)}", path))
        shared = [deref(doc, p) for p in item.get("parameters", [])]
        for method, op in item.items():
            if method not in METHODS:
                continue
            where = f"{method.upper()} {path}"
            op_id = op.get("operationId")
            if not op_id:
                problem(f"{where}: no operationId")
            elif op_id in seen_ids:
                problem(f"{where}: operationId {op_id} is used twice")
            seen_ids.add(op_id)
            if not op.get("summary"):
                problem(f"{where}: no summary")
            if not op.get("responses"):
                problem(f"{where}: no responses")
            params = shared + [deref(doc, p) for p in op.get("parameters", [])]
            declared = {p["name"] for p in params if p.get("in") == "path"}
            for p in params:
                if p.get("in") == "path" and not p.get("required"):
                    problem(f"{where}: path parameter {p['name']} must be required")
                if p.get("in") not in ("path", "query", "header", "cookie"):
                    problem(f"{where}: parameter {p.get('name')} has no valid 'in'")
            if declared != template:
                problem(f"{where}: path parameters {sorted(declared)} do not match the template {sorted(template)}")
            for status, response in op.get("responses", {}).items():
                if not re.fullmatch(r"[1-5][0-9][0-9]|default", str(status)):
                    problem(f"{where}: response key {status} is not a status")
                if "description" not in deref(doc, response):
                    problem(f"{where} {status}: no description")
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        try:
            jsonschema.Draft7Validator.check_schema(to_json_schema(doc, schema))
        except jsonschema.SchemaError as e:
            problem(f"components.schemas.{name}: {e.message}")
    return seen_ids


class Server:
    def __init__(self, binary, data, home):
        self.log = open(os.path.join(home, "serve.log"), "w+")
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
        self.proc = subprocess.Popen([binary, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 20
        while time.time() < deadline:
            self.log.seek(0)
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.log.read())
            if m:
                self.url = f"http://127.0.0.1:{m.group(1)}"
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError("csctl serve did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def call(url, method, token=None, body=None, headers=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def main():
    binary, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        doc = yaml.safe_load(f)
    operation_ids = lint(doc)

    home = tempfile.mkdtemp(prefix="csctl-openapi-")
    data = os.path.join(home, "server")
    tokens = {}
    for role in ("writer", "reader", "router"):
        r = subprocess.run([binary, "serve", "token", "create", "--data", data, "--tenant", "contoso", "--role", role],
                           capture_output=True, text=True, env={"HOME": home, "PATH": "/usr/bin:/bin"})
        if r.returncode != 0:
            raise RuntimeError(r.stderr)
        tokens[role] = r.stdout.strip()
    server = Server(binary, data, home)
    exercised = set()

    def check(op_id, path_template, method, url, token=None, body=None, headers=None, expect=None):
        status, response_headers, text = call(server.url + url, method.upper(), token, body, headers)
        exercised.add(op_id)
        where = f"{op_id} ({method.upper()} {url}) → {status}"
        if expect is not None and status != expect:
            problem(f"{where}: expected {expect}: {text[:300]}")
        op = doc["paths"][path_template][method]
        if op.get("operationId") != op_id:
            problem(f"{where}: the document names this operation {op.get('operationId')}")
        response = op["responses"].get(str(status))
        if response is None:
            problem(f"{where}: status {status} is not documented")
            return status, text
        response = deref(doc, response)
        content = response.get("content", {})
        ctype = response_headers.get("Content-Type", "").split(";")[0]
        if not content:
            if text:
                problem(f"{where}: documented without a body, answered {text[:100]!r}")
            return status, text
        if ctype not in content:
            problem(f"{where}: Content-Type {ctype!r} is not documented ({list(content)})")
            return status, text
        if ctype == "application/json":
            schema = to_json_schema(doc, content[ctype]["schema"])
            try:
                jsonschema.validate(json.loads(text), schema)
            except (ValueError, jsonschema.ValidationError) as e:
                problem(f"{where}: the body does not match the schema: {getattr(e, 'message', e)}")
        for name, header in response.get("headers", {}).items():
            if name not in response_headers:
                problem(f"{where}: header {name} is documented but missing")
            else:
                pattern = deref(doc, header).get("schema", {}).get("pattern")
                if pattern and not re.search(pattern, response_headers[name]):
                    problem(f"{where}: header {name} {response_headers[name]!r} does not match {pattern}")
        return status, text

    w, r, x = tokens["writer"], tokens["reader"], tokens["router"]
    T = "/v1/tenants/{tenant}"
    try:
        check("getHealth", "/healthz", "get", "/healthz", expect=200)
        check("getMetrics", "/metrics", "get", "/metrics", expect=200)
        check("getConfig", T + "/config", "get", "/v1/tenants/contoso/config", w, expect=200)
        check("getConfig", T + "/config", "get", "/v1/tenants/contoso/config", None, expect=401)
        check("getConfig", T + "/config", "get", "/v1/tenants/other/config", w, expect=403)
        check("getConfig", T + "/config", "get", "/v1/tenants/contoso/config", r, headers={"If-None-Match": '"0"'},
              expect=304)
        ops = {"operations": [
            {"action": "update", "kind": "tenant", "identity": "contoso",
             "after": {"name": "contoso", "tenantId": None, "domains": ["contoso.com"], "onlineVoiceRoutingPolicy": None}},
            {"action": "update", "kind": "onlinePstnUsage", "identity": "Global", "after": ["US and Canada"]},
            {"action": "create", "kind": "onlinePstnGateway", "identity": "sbc1.contoso.com",
             "after": {"sipSignalingPort": 5061, "enabled": True}},
            {"action": "create", "kind": "onlineVoiceRoute", "identity": "Redmond 1",
             "after": {"numberPattern": "^\\+1425", "priority": 1, "onlinePstnUsages": ["US and Canada"],
                       "onlinePstnGatewayList": ["sbc1.contoso.com"]}},
        ]}
        C = T + "/changes"
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, ops, {"If-Match": '"0"', "Idempotency-Key": "a"},
              expect=200)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, ops, {"If-Match": '"0"', "Idempotency-Key": "a"},
              expect=200)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, ops, {"If-Match": '"0"'}, expect=412)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, ops, expect=428)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", r, ops, {"If-Match": '"1"'}, expect=403)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, b"{", {"If-Match": '"1"'}, expect=400)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, {"operations": ops["operations"][2:3]},
              {"If-Match": '"1"'}, expect=409)
        bad = {"operations": [{"action": "create", "kind": "onlineVoiceRoute", "identity": "R",
                               "after": {"numberPattern": "(", "onlinePstnUsages": ["US and Canada"]}}]}
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, bad, {"If-Match": '"1"'}, expect=422)
        check("postChanges", C, "post", "/v1/tenants/contoso/changes", w, b" " * (17 << 20) + b"{}", {"If-Match": '"1"'},
              expect=413)
        L, O = T + "/{collection}", T + "/{collection}/{identity}"
        for collection in ("gateways", "usages", "voice-routes", "voice-routing-policies", "dial-plans",
                           "translation-rules", "blocked-number-patterns", "exempt-number-patterns", "groups", "users"):
            check("listObjects", L, "get", f"/v1/tenants/contoso/{collection}", r, expect=200)
        check("listObjects", L, "get", "/v1/tenants/contoso/nothing", r, expect=404)
        check("getObject", O, "get", "/v1/tenants/contoso/voice-routes/Redmond%201", r, expect=200)
        check("getObject", O, "get", "/v1/tenants/contoso/gateways/SBC1.contoso.com", r, expect=200)
        check("getObject", O, "get", "/v1/tenants/contoso/voice-routing-policies/Global", r, expect=200)
        check("getObject", O, "get", "/v1/tenants/contoso/usages/US%20and%20Canada", r, expect=200)
        check("getObject", O, "get", "/v1/tenants/contoso/voice-routes/nope", r, expect=404)
        check("putObject", O, "put", "/v1/tenants/contoso/translation-rules/AddPlus", w,
              {"pattern": "^(\\d{10})$", "translation": "+1$1"}, expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/dial-plans/Tag:Redmond", w,
              {"normalizationRules": [{"name": "ext", "pattern": "^(\\d{4})$", "translation": "+1425555$1"}]},
              expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/blocked-number-patterns/Spam", w,
              {"pattern": "^\\+1900"}, expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/groups/sales", w, {"description": "Sales"}, expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/users/spencer@contoso.com", w,
              {"licenses": ["PhoneSystem"], "groups": ["sales"], "enterpriseVoiceEnabled": True,
               "phoneNumber": "+14255550111", "phoneNumberType": "DirectRouting", "tenantDialPlan": "Redmond"},
              expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/users/john@contoso.com", w, {"groups": ["nope"]}, expect=422)
        check("getObject", O, "get", "/v1/tenants/contoso/users/SPENCER@contoso.com", r, expect=200)
        check("getObject", O, "get", "/v1/tenants/contoso/dial-plans/Redmond", r, expect=200)
        check("getObject", O, "get", "/v1/tenants/contoso/groups/sales", r, expect=200)
        check("deleteObject", O, "delete", "/v1/tenants/contoso/groups/sales", w, expect=409)
        check("deleteObject", O, "delete", "/v1/tenants/contoso/users/spencer@contoso.com", w, expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/usages/International", w, {}, expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/voice-routes/Other", w,
              {"numberPattern": ".*", "priority": 2, "onlinePstnUsages": ["International"],
               "onlinePstnGatewayList": ["sbc1.contoso.com"]}, expect=200)
        check("putObject", O, "put", "/v1/tenants/contoso/voice-routes/Other", w, {"numberPattern": "("}, expect=422)
        check("putObject", O, "put", "/v1/tenants/contoso/voice-routes/Other", w, {"priority": 3},
              {"If-Match": '"1"'}, expect=412)
        check("putObject", O, "put", "/v1/tenants/contoso/voice-routes/Other", w, [1], expect=400)
        check("deleteObject", O, "delete", "/v1/tenants/contoso/gateways/sbc1.contoso.com", w, expect=409)
        check("deleteObject", O, "delete", "/v1/tenants/contoso/voice-routes/Other", w, expect=200)
        check("deleteObject", O, "delete", "/v1/tenants/contoso/voice-routes/Other", w, expect=404)
        check("deleteObject", O, "delete", "/v1/tenants/contoso/voice-routes/Redmond%201", r, expect=403)
        q = "/v1/tenants/contoso/route?from=%2B14255550100&to=%2B14255550199"
        check("getRoute", T + "/route", "get", q, x, expect=200)
        check("getRoute", T + "/route", "get", q + "&format=rtjson&seed=3", x, expect=200)
        check("getRoute", T + "/route", "get", "/v1/tenants/contoso/route?from=a&to=b&format=rtjson", r, expect=403)
        check("getRoute", T + "/route", "get", "/v1/tenants/contoso/route?from=nobody%40contoso.com&to=1", x, expect=404)
        check("getRoute", T + "/route", "get", "/v1/tenants/contoso/route?to=abc", x, expect=400)
        check("getInbound", T + "/inbound", "get", "/v1/tenants/contoso/inbound?gateway=sbc1.contoso.com&called=1&calling=2",
              x, expect=200)
        check("getInbound", T + "/inbound", "get", "/v1/tenants/contoso/inbound?gateway=nope.contoso.com&called=1&calling=2",
              x, expect=404)
        check("getInbound", T + "/inbound", "get", "/v1/tenants/contoso/inbound?gateway=sbc1.contoso.com", x, expect=400)
        H = T + "/gateways/{fqdn}/options"
        check("postGatewayOptions", H, "post", "/v1/tenants/contoso/gateways/sbc1.contoso.com/options", x,
              {"statusCode": 200, "activeCalls": 3}, expect=204)
        check("postGatewayOptions", H, "post", "/v1/tenants/contoso/gateways/nope.contoso.com/options", x,
              {"statusCode": 200}, expect=404)
        check("postGatewayOptions", H, "post", "/v1/tenants/contoso/gateways/sbc1.contoso.com/options", x, {}, expect=400)
        check("postGatewayOptions", H, "post", "/v1/tenants/contoso/gateways/sbc1.contoso.com/options", x,
              {"statusCode": 200, "activeCalls": -5}, expect=400)
        check("postGatewayOptions", H, "post", "/v1/tenants/contoso/gateways/sbc1.contoso.com/options", x,
              {"statusCode": 1000}, expect=400)
        check("getRoute", T + "/route", "get", "/v1/tenants/contoso/route?to=%2B14255550100&seed=-1", x, expect=400)
        status, text = check("getGatewayHealth", T + "/gateways/health", "get", "/v1/tenants/contoso/gateways/health", x,
                             expect=200)
        if status == 200:
            health = {g["fqdn"]: g["health"] for g in json.loads(text)}
            if health.get("sbc1.contoso.com") != "healthy":
                problem(f"getGatewayHealth: sbc1 reported 200 should be healthy: {text}")
            # Never reported: healthy, as the route query counts it.
            for fqdn, h in health.items():
                if fqdn != "sbc1.contoso.com" and h == "demoted":
                    problem(f"getGatewayHealth: {fqdn} was never reported and should not be demoted: {text}")
        status, _, _ = call(server.url + "/healthz", "GET")
        if status != 200:
            problem("the server stopped serving after the refused requests")
    finally:
        server.stop()
        if server.proc.returncode != 0:
            problem(f"csctl serve exited with {server.proc.returncode} on SIGTERM")
        shutil.rmtree(home, ignore_errors=True)

    missing = operation_ids - exercised
    if missing:
        problem(f"documented operations never exercised: {sorted(missing)}")
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"openapi: {len(operation_ids)} operations linted and checked against a real server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
