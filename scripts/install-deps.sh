#!/usr/bin/env bash
# Installs the Debian packages the build and tests need; quiet and quick when already there.
set -euo pipefail
# prometheus-alertmanager brings amtool, which the import parity test compares our routing with.
# libsqlite3-dev: the service's embedded store (GRDB links the system SQLite).
packages=(libyaml-dev libpcre2-dev libsqlite3-dev pkg-config tzdata prometheus-alertmanager)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >/dev/null
fi
# Test tooling from PyPI: jsonschema validates our SARIF output against the OASIS schema.
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install -q jsonschema
# openapi-spec-validator checks docs/openapi.yaml, and the API's sample documents against it.
python3 -c "import openapi_spec_validator" 2>/dev/null || python3 -m pip install -q openapi-spec-validator
# PyYAML parses action.yml and the example workflow in the install test (scripts/test-dist.sh).
python3 -c "import yaml" 2>/dev/null || python3 -m pip install -q pyyaml
