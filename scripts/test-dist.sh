#!/usr/bin/env bash
# The install test, run by `make test` after swift test: builds the release (make dist), installs
# the .deb into a temporary root, the tarball and `make install DESTDIR=…` likewise, and runs each
# installed rulec (`--version`, `check rules/`, `test rules/`); runs the GitHub Action's scripts
# against the tarball as a release; and parses action.yml and the example workflow.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
version=$(tr -d '[:space:]' < VERSION)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test-dist: $*" >&2; exit 1; }

# An installed rulec: its version, then the example packs checked (warnings only: no secrets
# here) and tested, from the repository root as a user would.
run_installed() {
  local bin=$1
  [ "$("$bin" --version)" = "$version" ] || fail "$bin --version is not $version"
  ! ldd "$bin" | grep -q "libswift\|not found" || fail "$bin needs libraries this machine lacks: $(ldd "$bin")"
  "$bin" check rules/ > "$tmp/check.out" || fail "$bin check rules/ failed: $(tail -5 "$tmp/check.out")"
  grep -q "^initech: ok" "$tmp/check.out" || fail "$bin check rules/ printed no summary for initech"
  "$bin" test rules/ > "$tmp/test.out" || fail "$bin test rules/ failed: $(tail -5 "$tmp/test.out")"
  echo "  $bin: $(tail -1 "$tmp/test.out")"
}

read -r tarball deb < <(scripts/dist.sh | tail -2 | paste -sd ' ')
[ -f "$tarball" ] && [ -f "$deb" ] || fail "make dist made no tarball or .deb"

# The .deb: its fields, its dependencies present on this machine, then unpacked into a root.
[ "$(dpkg-deb -f "$deb" Package)" = rulec ] || fail "$deb is not package rulec"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "$deb is not version $version"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libyaml-0-2 libpcre2-8-0 libsqlite3-0; do
  [[ ", $depends," == *", $lib,"* ]] || fail "$deb does not depend on $lib: $depends"
done
for p in ${depends//,/ }; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || fail "dependency $p is not installed here"
done
dpkg-deb -x "$deb" "$tmp/deb-root"
echo "installed $deb into a temporary root"
run_installed "$tmp/deb-root/usr/bin/rulec"

# The tarball, unpacked anywhere.
mkdir "$tmp/tar" && tar -xzf "$tarball" -C "$tmp/tar"
run_installed "$tmp/tar/rulec-$version/bin/rulec"

# make install with a staging root and a prefix.
make --no-print-directory -s install DESTDIR="$tmp/stage" PREFIX=/opt/rulec >/dev/null
run_installed "$tmp/stage/opt/rulec/bin/rulec"

# The GitHub Action's steps, with the tarball served as a release from a file:// URL.
mkdir -p "$tmp/releases/v$version" "$tmp/runner"
cp "$tarball" "$tmp/releases/v$version/"
export RUNNER_TEMP="$tmp/runner" GITHUB_PATH="$tmp/github_path" GITHUB_OUTPUT="$tmp/github_output"
INPUT_VERSION="v$version" RULELANG_RELEASES="file://$tmp/releases" scripts/action/install.sh > /dev/null
action_bin=$(cat "$GITHUB_PATH")
[ "$action_bin" = "$tmp/runner/rulec-$version/bin" ] || fail "the action put $action_bin on the PATH"
PATH="$action_bin:$PATH" INPUT_PATHS="Tests/RuleLangTests/Cases/formats" INPUT_SARIF_FILE="$tmp/out.sarif" \
  scripts/action/check.sh > "$tmp/annotations"
grep -qx "exit-code=1" "$GITHUB_OUTPUT" || fail "the action's check of a pack with errors gave $(cat "$GITHUB_OUTPUT")"
grep -qx "sarif-file=$tmp/out.sarif" "$GITHUB_OUTPUT" || fail "the action's check wrote no SARIF"
grep -q "^::error file=Tests/RuleLangTests/Cases/formats/10-routes.yaml,line=5,col=14," "$tmp/annotations" \
  || fail "the action's check made no annotation: $(head -3 "$tmp/annotations")"
scripts/validate-sarif.py Tests/RuleLangTests/Golden/formats.sarif "$tmp/out.sarif" >/dev/null
: > "$GITHUB_OUTPUT"
PATH="$action_bin:$PATH" INPUT_PATHS="rules/" INPUT_SARIF_FILE="$tmp/rules.sarif" scripts/action/check.sh > /dev/null
grep -qx "exit-code=0" "$GITHUB_OUTPUT" || fail "the action's check of rules/ gave $(cat "$GITHUB_OUTPUT")"
echo "ran the action's install and check steps"

# action.yml and the example workflow in docs/github-action.md parse, and agree on the inputs.
python3 - <<'PY'
import re, sys, yaml
action = yaml.safe_load(open("action.yml"))
assert action["runs"]["using"] == "composite", "action.yml is not a composite action"
inputs = set(action["inputs"])
uses = [s.get("uses", "") for s in action["runs"]["steps"]]
assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses), "no SARIF upload step"
doc = open("docs/github-action.md").read()
blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
workflow = yaml.safe_load(blocks[0])
steps = workflow["jobs"]["check"]["steps"]
ours = [s for s in steps if s.get("uses", "").startswith("rulelang/rulelang@")]
assert len(ours) == 1, "the example workflow does not use the action"
unknown = set(ours[0].get("with", {})) - inputs
assert not unknown, f"the example workflow passes inputs action.yml lacks: {unknown}"
assert workflow["permissions"]["security-events"] == "write"
for b in blocks[1:]:
    yaml.safe_load(b)
print(f"action.yml and {len(blocks)} YAML blocks of docs/github-action.md parse")
PY

echo "test-dist: passed in $(( $(date +%s) - started )) s"
