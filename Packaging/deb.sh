#!/usr/bin/env bash
# make deb: a Debian package of the release binary with Swift's runtime (and Foundation) linked
# in statically, so a machine needs only Debian's libraries (ncurses, readline, OpenBLAS, zlib):
# the binary in /usr/bin, the lessons, themes and bundled data in /usr/share/descent, a man page
# made from `descent --help` by help2man. `apt install ./descent_*.deb` is the whole set-up.
# Prints the package's path on its last line. Usage: Packaging/deb.sh [OUTPUT_FOLDER]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/.build-deb}
cd "$ROOT"
command -v help2man >/dev/null || { echo "deb: help2man is not installed (apt-get install help2man)"; exit 1; }
SWIFT=${SWIFT:-swift}
BUILD=("$SWIFT" build -c release --product descent --static-swift-stdlib --scratch-path .build-deb)
"${BUILD[@]}" 2>&1 | grep -vE "^warning: .* unhandled|CMakeLists.txt$" | tail -2
BIN_DIR=$("${BUILD[@]}" --show-bin-path)
VERSION=$("$BIN_DIR/descent" --version | sed -E 's/^descent ([0-9.]+).*/\1/')
ARCH=$(dpkg --print-architecture)
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/descent" "$STAGE/usr/share/man/man1" "$STAGE/usr/share/doc/descent"
install -m 755 "$BIN_DIR/descent" "$STAGE/usr/bin/descent"
strip --strip-unneeded "$STAGE/usr/bin/descent"
cp -r Notebooks Themes "$STAGE/usr/share/descent/"
cp -r "$BIN_DIR/Descent_Datasets.resources" "$STAGE/usr/share/descent/"
cp LICENSE "$STAGE/usr/share/doc/descent/copyright"
help2man --no-info --no-discard-stderr --version-string="$VERSION" \
  --name="a terminal workbench for learning machine learning" "$STAGE/usr/bin/descent" | gzip -9n > "$STAGE/usr/share/man/man1/descent.1.gz"
# Depends: the Debian package of every shared library the binary loads (dpkg knows a library by
# the path it installed, /lib/… or /usr/lib/…, so both are asked); OpenBLAS by its
# variant-neutral name, libopenblas0.
DEPENDS=$(for lib in $(ldd "$STAGE/usr/bin/descent" | awk '/=>/ { print $3 }'); do
            dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "${lib#/usr}" 2>/dev/null || true
          done | cut -d: -f1 | sed -E 's/^libopenblas0-.*/libopenblas0/' | sort -u | paste -sd, | sed 's/,/, /g')
[ -n "$DEPENDS" ] || { echo "deb: could not find the packages of the binary's libraries"; exit 1; }
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: descent
Version: $VERSION
Architecture: $ARCH
Maintainer: Descent developers <descent@localhost>
Depends: $DEPENDS
Recommends: openssh-server, openssh-client
Section: education
Priority: optional
Description: a terminal workbench for learning machine learning
 One ncurses screen holds a dataset preview, live loss curves, a layer summary, an
 evaluation pane and a REPL; lessons are Markdown notebooks whose cells recompute every
 result and check it. Trains on OpenBLAS, serves models over HTTP, exports ONNX.
 descent classroom serves a class: every learner's own workbench over SSH (OpenSSH's
 sshd, recommended), a teacher's console, and assignments graded by replay.
CONTROL
mkdir -p "$OUT"
DEB="$OUT/descent_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group --build "$STAGE" "$DEB" >/dev/null
echo "deb: $(du -h "$DEB" | cut -f1) · Depends: $DEPENDS"
echo "$DEB"
