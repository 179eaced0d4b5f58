#!/usr/bin/env bash
# The Debian package (part of `make test`): its contents; no Swift library among what the
# binary loads (`ldd`); then `apt-get install ./descent_*.deb`, and the installed binary, with
# Swift's folders and this source tree hidden (a tmpfs mounted over each in a private mount
# namespace), replays every lesson headless from /usr/share/descent. The package is removed
# afterwards. Needs root (apt, mounts); prints a notice and skips the install otherwise.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEB=$("$ROOT/Packaging/deb.sh" | tail -1)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
dpkg-deb -c "$DEB" | awk '{ print $NF }' > "$T/contents"
for f in ./usr/bin/descent ./usr/share/man/man1/descent.1.gz ./usr/share/doc/descent/copyright \
         ./usr/share/descent/Notebooks/welcome.md ./usr/share/descent/Themes/default.theme \
         ./usr/share/descent/Descent_Datasets.resources/Resources/iris.csv; do
  grep -qx "$f" "$T/contents" || { echo "deb: $f is missing from $DEB"; cat "$T/contents"; exit 1; }
done
LESSONS=$(ls "$ROOT"/Notebooks/*.md | wc -l)
[ "$(grep -c '^./usr/share/descent/Notebooks/.*\.md$' "$T/contents")" = "$LESSONS" ] || { echo "deb: not every lesson is packed"; exit 1; }
dpkg-deb -x "$DEB" "$T/root"
if ldd "$T/root/usr/bin/descent" | grep -iE "swift|foundation|dispatch|/opt/"; then
  echo "deb: the binary still loads Swift's libraries (above)"; exit 1
fi
echo "deb-test: $(basename "$DEB") holds the binary, the man page, $LESSONS lessons, the themes and the data; ldd: $(ldd "$T/root/usr/bin/descent" | wc -l) Debian libraries, no Swift library"

if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
  echo "deb-test: NOTICE: not root (or no unshare): the install and the replay with Swift hidden are skipped"; exit 0
fi
SWIFT_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
[ "$(basename "$SWIFT_HOME")" = usr ] && SWIFT_HOME=$(dirname "$SWIFT_HOME")   # the toolchain's root, /opt/swift
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$DEB" > "$T/apt.log" 2>&1 || { cat "$T/apt.log"; exit 1; }
trap 'dpkg -r descent >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
mkdir -p "$T/home" "$T/work"
unshare -m bash -c "
  set -e
  mount -t tmpfs none '$SWIFT_HOME'
  mount -t tmpfs none '$ROOT'
  cd '$T/work'
  [ ! -e '$SWIFT_HOME/bin/swift' ] && [ ! -e '$ROOT/Package.swift' ]
  HOME='$T/home' PATH=/usr/bin:/bin env -u LD_LIBRARY_PATH descent --version
  HOME='$T/home' PATH=/usr/bin:/bin env -u LD_LIBRARY_PATH descent run /usr/share/descent/Notebooks/*.md > '$T/replay.txt' 2>&1
" || { tail -20 "$T/replay.txt" 2>/dev/null; echo "deb-test: the installed binary failed with Swift and the sources hidden"; exit 1; }
man -w descent > /dev/null 2>&1 || [ -e /usr/share/man/man1/descent.1.gz ]
echo "deb-test: apt-get installed it; with $SWIFT_HOME and the source tree hidden, the installed descent replayed all $LESSONS lessons ($(grep -c '✓' "$T/replay.txt") checks passed, none failed)"
