#!/usr/bin/env bash
# The RuleLang GitHub Action's install step: puts `rulec` on the job's PATH.
# INPUT_VERSION set: downloads that release's tarball (RULELANG_RELEASES overrides where from);
# empty: builds rulec from the action's own source with the runner's Swift toolchain.
set -euo pipefail
: "${RUNNER_TEMP:?}" "${GITHUB_PATH:?}"
version="${INPUT_VERSION:-}"
version="${version#v}"
releases="${RULELANG_RELEASES:-https://github.com/rulelang/rulelang/releases/download}"
source_dir="$(cd "$(dirname "$0")/../.." && pwd)"

apt_install() {
  command -v apt-get >/dev/null || { echo "rulec needs: $*" >&2; return 1; }
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "$@" >/dev/null
}

if [ -n "$version" ]; then
  case "$(uname -m)" in x86_64) arch=x86_64 ;; aarch64) arch=aarch64 ;; *) arch=$(uname -m) ;; esac
  url="$releases/v$version/rulec-$version-linux-$arch.tar.gz"
  echo "installing rulec $version from $url"
  curl -fsSL "$url" | tar -xz -C "$RUNNER_TEMP"
  bin="$RUNNER_TEMP/rulec-$version/bin"
  # The release links the system libyaml and libpcre2-8 (and nothing of Swift).
  if ldd "$bin/rulec" | grep -q "not found"; then apt_install libyaml-0-2 libpcre2-8-0; fi
else
  echo "building rulec from $source_dir"
  if ! pkg-config --exists yaml-0.1 libpcre2-8 2>/dev/null; then apt_install libyaml-dev libpcre2-dev pkg-config tzdata; fi
  swift build -c release --product rulec --package-path "$source_dir"
  bin="$source_dir/.build/release"
fi
"$bin/rulec" --version
echo "$bin" >> "$GITHUB_PATH"
