#!/usr/bin/env python3
"""Validates SARIF logs against the SARIF 2.1.0 JSON schema (Tests/Schemas/sarif-2.1.0.json, from
OASIS) plus the fields GitHub code scanning requires. usage: validate-sarif.py FILE..."""
import json
import sys
from pathlib import Path

import jsonschema

schema = json.loads((Path(__file__).parent.parent / "Tests/Schemas/sarif-2.1.0.json").read_text())
validator = jsonschema.Draft4Validator(schema)
failed = False
for path in sys.argv[1:]:
    log = json.loads(Path(path).read_text())
    errors = list(validator.iter_errors(log))
    for run in log.get("runs", []):
        if not run["tool"]["driver"].get("name"):
            errors.append("GitHub: tool.driver.name is required")
        for r in run.get("results", []):
            if not r.get("message", {}).get("text"):
                errors.append("GitHub: result.message.text is required")
            for loc in r.get("locations", []):
                pl = loc["physicalLocation"]
                if not pl["artifactLocation"].get("uri") or "startLine" not in pl.get("region", {}):
                    errors.append("GitHub: location needs artifactLocation.uri and region.startLine")
    for e in errors:
        failed = True
        print(f"{path}: {getattr(e, 'message', e)}")
    print(f"{path}: {'INVALID' if errors else 'valid SARIF 2.1.0'} ({sum(len(r.get('results', [])) for r in log.get('runs', []))} results)")
sys.exit(1 if failed else 0)
