#!/usr/bin/env bash
# The Debian packages of cmake/tblog_cpack.cmake, as a user meets them: a shared build without
# LibTorch, `cpack -G DEB`, the three packages' names, dependencies and contents checked, then
# unpacked (dpkg-deb -x, no root needed) and used by an unrelated program (examples/quickstart)
# through find_package and through pkg-config, its logs read back by the packaged `tblog` tool.
# Usage: test_debian_packages.sh
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
VERSION=$(sed -n 's/^project(tblog VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
MINOR=$(echo "$VERSION" | cut -d. -f2)
MAJOR=$(echo "$VERSION" | cut -d. -f1)
if [ "$MAJOR" = 0 ]; then RUNTIME="libtblog0.$MINOR"; else RUNTIME="libtblog$MAJOR"; fi

cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
      -DCMAKE_INSTALL_PREFIX=/usr -DTBLOG_BUILD_TESTS=OFF -DTBLOG_BUILD_BENCH=OFF \
      -DTBLOG_BUILD_TRAINERS=OFF -DTBLOG_BUILD_TORCH=OFF > "$WORK/configure.log"
cmake --build "$WORK/build" -j "$(nproc)" > "$WORK/build.log"
(cd "$WORK/build" && cpack -G DEB > "$WORK/cpack.log" 2>&1) || { cat "$WORK/cpack.log"; exit 1; }
ARCH=$(dpkg --print-architecture)
for package in "$RUNTIME" libtblog-dev tblog-tools; do
  deb="$WORK/build/${package}_${VERSION}_${ARCH}.deb"
  [ -f "$deb" ] || { echo "no $deb; cpack made: $(ls "$WORK/build"/*.deb)" >&2; exit 1; }
  dpkg-deb -I "$deb" > "$WORK/$package.info"
  dpkg-deb -c "$deb" | awk '{print $6}' > "$WORK/$package.files"
done
fail() { echo "debian packages: $*" >&2; exit 1; }
# The runtime package holds the shared library and nothing else; its dependencies came from
# dpkg-shlibdeps (protobuf, libdeflate, giflib), and it declares its shlibs.
grep -q "libtblog.so.0\?.*${VERSION}\|libtblog.so.${VERSION}" "$WORK/$RUNTIME.files" ||
  fail "$RUNTIME lacks libtblog.so.$VERSION: $(cat "$WORK/$RUNTIME.files")"
if grep -E '\.(hpp|cmake|pc)$|/bin/' "$WORK/$RUNTIME.files"; then fail "$RUNTIME holds more than the library"; fi
grep -Eq "^ Depends:.*libprotobuf" "$WORK/$RUNTIME.info" || fail "$RUNTIME does not depend on libprotobuf"
grep -Eq "^ Depends:.*libdeflate" "$WORK/$RUNTIME.info" || fail "$RUNTIME does not depend on libdeflate"
dpkg-deb -e "$WORK/build/${RUNTIME}_${VERSION}_${ARCH}.deb" "$WORK/control-runtime"
grep -q "^libtblog " "$WORK/control-runtime/shlibs" || fail "$RUNTIME has no shlibs file"
# The -dev package: headers, the unversioned link, CMake and pkg-config files.
for f in include/tblog/tblog.hpp include/tblog/version.hpp cmake/tblog/tblogConfig.cmake \
         pkgconfig/tblog.pc "libtblog.so$"; do
  grep -q "$f" "$WORK/libtblog-dev.files" || fail "libtblog-dev lacks $f"
done
grep -q "^ Depends: $RUNTIME (= $VERSION)" "$WORK/libtblog-dev.info" || fail "libtblog-dev's Depends"
grep -q "/usr/bin/tblog$" "$WORK/tblog-tools.files" || fail "tblog-tools lacks /usr/bin/tblog"
grep -Eq "^ Depends:.*$RUNTIME \(= $VERSION\)" "$WORK/tblog-tools.info" || fail "tblog-tools' Depends"
grep -Eq "^ Depends:.*libre2" "$WORK/tblog-tools.info" || fail "tblog-tools does not depend on libre2"
echo "packages: $RUNTIME, libtblog-dev, tblog-tools (names, contents, dependencies OK)"

# Unpacked into a root of their own, as dpkg would install them under /.
ROOT="$WORK/root"
for deb in "$WORK/build"/*.deb; do dpkg-deb -x "$deb" "$ROOT"; done
LIBDIR=$(dirname "$(find "$ROOT/usr/lib" -name 'libtblog.so' | head -1)")
export LD_LIBRARY_PATH="$LIBDIR"
TOOL="$ROOT/usr/bin/tblog"
"$TOOL" --version | grep -q "^tblog $VERSION$" || fail "the packaged tool's --version"
check_logs() { "$TOOL" verify "$1" > /dev/null && "$TOOL" ls "$1" | grep -q "train/loss"; }

# 1. find_package: the CMake package is relocatable, so the unpacked root works as a prefix.
cmake -S "$SRC/examples/quickstart" -B "$WORK/find-package" -DCMAKE_PREFIX_PATH="$ROOT/usr" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON > "$WORK/find-package.log"
cmake --build "$WORK/find-package" >> "$WORK/find-package.log"
"$WORK/find-package/quickstart" "$WORK/logs-find-package"
check_logs "$WORK/logs-find-package" || fail "find_package consumer's logs"
echo "1. find_package against the unpacked libtblog-dev: OK"

# 2. pkg-config: the .pc finds its prefix from where it lies (${pcfiledir}), here three levels up
#    (usr/lib/<multiarch>/pkgconfig).
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
[ "$(pkg-config --modversion tblog)" = "$VERSION" ] || fail "pkg-config --modversion tblog"
[ "$(pkg-config --variable=includedir tblog | xargs realpath)" = "$(realpath "$ROOT/usr/include")" ] ||
  fail "tblog.pc's includedir is $(pkg-config --variable=includedir tblog), not the unpacked one"
# shellcheck disable=SC2046
c++ -std=c++17 -O1 "$SRC/examples/quickstart/main.cpp" -o "$WORK/pkg-config-quickstart" \
    $(pkg-config --cflags --libs tblog)
"$WORK/pkg-config-quickstart" "$WORK/logs-pkg-config"
check_logs "$WORK/logs-pkg-config" || fail "pkg-config consumer's logs"
echo "2. pkg-config against the unpacked libtblog-dev: OK"
echo "debian packages: OK"
