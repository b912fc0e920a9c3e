"""The reference connector written the way a Python-kit connector prints:
every message carries every field, null where unset, and bad input ends in
argparse's usage error (exit 2) or an exception (exit 1). The conformance
tests run it as a connector in another language."""

import argparse
import json
import sys

SPEC = {"spec": {
    "$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
    "properties": {
        "hostname": {"type": "string", "title": "Hostname", "order": 0},
        "api_key": {"type": "string", "title": "API Key", "secret": True, "order": 1},
        "num_records": {"type": "integer", "title": "Records per Store", "default": 10, "order": 2},
    },
    "required": ["hostname", "api_key"],
}}
ROW_SCHEMA = {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
              "properties": {"id": {"type": "integer"}, "email": {"type": "string"}, "name": {"type": "string"}}}
STORES = ["users", "orders"]
FIELDS = ["record", "schema_msg", "spec", "validate_msg", "log", "request", "request_status"]


def emit(type_, field, payload):
    msg = {"type": type_}
    msg.update({f: None for f in FIELDS})
    msg[field] = payload
    print(json.dumps(msg))


def rows(n):
    return [{"id": i, "email": "user%d@example.com" % i, "name": "User %d" % i} for i in range(n)]


def record(store, data):
    emit("RECORD", "record", {"record_type": "RECORD", "schema_name": store, "schema_group": "app", "data": data, "file": None})


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("spec")
    for name, flags in [("validate", "c"), ("schema", "c"), ("query", "cpq"), ("delete", "cpq"),
                        ("scan", "cps"), ("request-status", "cpr"), ("request-results", "cpr")]:
        p = sub.add_parser(name)
        long = {"c": "config", "p": "persist_conf", "q": "query", "s": "schemas", "r": "requests"}
        for f in flags:
            p.add_argument("-" + f, "--" + long[f], required=True)
    args = parser.parse_args()

    if args.command == "spec":
        emit("SPEC", "spec", {"name": None, "spec": SPEC["spec"]})
        return
    conf = load(args.config)
    for key in SPEC["spec"]["required"]:
        if key not in conf:
            raise ValueError("config is missing " + key)
    n = conf.get("num_records", 10)
    if args.command == "validate":
        ok = conf["api_key"] != "bad"
        emit("VALIDATE", "validate_msg", {"status": "SUCCESS" if ok else "FAILURE", "message": None if ok else "invalid api key"})
    elif args.command == "schema":
        emit("SCHEMA", "schema_msg", {"schemas": [{"name": s, "group": "app", "json_schema": ROW_SCHEMA} for s in STORES]})
    elif args.command in ("query", "delete"):
        kind = "QUERY" if args.command == "query" else "DELETE"
        for ident in load(args.query)["identifiers"]:
            store = ident["schema_name"]
            emit("REQUEST_RESULT", "request", {
                "status": {"schema_group": "app", "schema_name": store, "request_status": "COMPLETE",
                           "data_type": "RECORDS" if kind == "QUERY" else "NONE"},
                "handle": {"schema_group": "app", "schema_name": store, "data": {"query": ident}, "request_type": kind}})
    elif args.command == "scan":
        for schema in load(args.schemas)["schemas"]:
            for row in rows(n):
                record(schema["name"], row)
    elif args.command == "request-status":
        for h in load(args.requests)["handles"]:
            emit("REQUEST_STATUS", "request_status", {"schema_group": "app", "schema_name": h["schema_name"],
                 "request_status": "COMPLETE", "data_type": "RECORDS" if h["request_type"] == "QUERY" else "NONE"})
    elif args.command == "request-results":
        for h in load(args.requests)["handles"]:
            if h["request_type"] != "QUERY":
                continue
            q = h["data"]["query"]
            for row in rows(n):
                if str(row[q["identifier"]]) == str(q["identifier_query"]):
                    record(h["schema_name"], row)


if __name__ == "__main__":
    main()
