#!/usr/bin/env bash
# make dist: a release `rulec` linked with the static Swift standard library (no Swift runtime
# needed where it runs), packed as a tarball and a Debian package under dist/. The binary still
# links the system libyaml, libpcre2-8 and libsqlite3 (the service's store), which the .deb declares as dependencies.
#   scripts/dist.sh            build, then pack
#   scripts/dist.sh --build    build only (make install uses it)
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(tr -d '[:space:]' < VERSION)
# One version: the binary's (`rulec --version`, SARIF's tool version) must be VERSION's.
grep -q "static let version = \"$version\"" Sources/rulec/Rulec.swift || {
  echo "dist: VERSION ($version) differs from Rulec.version in Sources/rulec/Rulec.swift" >&2; exit 1; }

# A scratch path of its own: the static link flag would otherwise rebuild .build/release, which
# the benchmarks use, on every switch between the two.
scratch=.build-dist
swift build -c release --static-swift-stdlib --product rulec --scratch-path "$scratch"
binary="$scratch/release/rulec"
if ldd "$binary" | grep -q libswift; then
  echo "dist: $binary links a shared Swift library:" >&2; ldd "$binary" >&2; exit 1
fi
[ "${1:-}" = "--build" ] && exit 0

arch=$(dpkg --print-architecture)
case "$(uname -m)" in x86_64) tarch=x86_64 ;; aarch64) tarch=aarch64 ;; *) tarch=$(uname -m) ;; esac
rm -rf dist/stage && mkdir -p dist/stage

# The tarball: rulec-VERSION/bin/rulec and the user docs, unpacked anywhere (add bin/ to PATH).
tar_root="dist/stage/rulec-$version"
install -Dm755 "$binary" "$tar_root/bin/rulec"
strip "$tar_root/bin/rulec"
install -Dm644 README.md "$tar_root/share/doc/rulec/README.md"
for f in docs/*.md; do install -Dm644 "$f" "$tar_root/share/doc/rulec/docs/$(basename "$f")"; done
tarball="dist/rulec-$version-linux-$tarch.tar.gz"
tar -C dist/stage -czf "$tarball" "rulec-$version"

# The Debian package: /usr/bin/rulec and /usr/share/doc/rulec.
deb_root="dist/stage/deb"
install -Dm755 "$tar_root/bin/rulec" "$deb_root/usr/bin/rulec"
mkdir -p "$deb_root/usr/share/doc"
cp -r "$tar_root/share/doc/rulec" "$deb_root/usr/share/doc/rulec"
mkdir -p "$deb_root/DEBIAN"
cat > "$deb_root/DEBIAN/control" <<CONTROL
Package: rulec
Version: $version
Architecture: $arch
Maintainer: RuleLang maintainers <rulelang@users.noreply.github.com>
Depends: libc6, libgcc-s1, libstdc++6, libyaml-0-2, libpcre2-8-0, libsqlite3-0, tzdata
Section: devel
Priority: optional
Installed-Size: $(du -sk "$deb_root/usr" | cut -f1)
Homepage: https://github.com/rulelang/rulelang
Description: compiler and checker for RuleLang alert-routing rule packs
 rulec checks RuleLang rule packs (typed rules for routing, correlating and
 escalating critical alerts), runs their tests on a virtual clock, replays
 alert streams and imports Alertmanager configurations.
CONTROL
deb="dist/rulec_${version}_$arch.deb"
dpkg-deb --root-owner-group --build "$deb_root" "$deb" >/dev/null
rm -rf dist/stage
echo "$tarball"
echo "$deb"
