#!/usr/bin/env python3
"""Validates docs/openapi.yaml (openapi-spec-validator), then, given a samples file, each sample
against the document's schemas (jsonschema, draft 2020-12, the dialect of OpenAPI 3.1).

Usage: validate-openapi.py SPEC [SAMPLES.json]
SAMPLES.json: {"valid": {"SchemaName": [instance, ...]}, "invalid": {"SchemaName": [...]}}
Every `valid` instance must validate and every `invalid` one must not. Prints one line per
failure and exits 1 if there is any."""
import json, sys
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

spec = yaml.safe_load(open(sys.argv[1]))
validate(spec)
failures = []
if len(sys.argv) > 2:
    samples = json.load(open(sys.argv[2]))
    def validator(name):
        if name not in spec["components"]["schemas"]:
            failures.append(f"no schema {name}")
            return None
        return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})
    for name, instances in samples.get("valid", {}).items():
        v = validator(name)
        for i, instance in enumerate(instances):
            if v:
                for e in v.iter_errors(instance):
                    failures.append(f"{name}[{i}]: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    for name, instances in samples.get("invalid", {}).items():
        v = validator(name)
        for i, instance in enumerate(instances):
            if v and v.is_valid(instance):
                failures.append(f"{name}[{i}]: validated but should not")
for f in failures:
    print(f)
print("ok" if not failures else f"{len(failures)} failures")
sys.exit(1 if failures else 0)
