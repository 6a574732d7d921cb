#!/usr/bin/env bash
# tblog as an unrelated project takes it in, three ways, each building and running
# examples/quickstart and checking its output with the installed `tblog` tool:
#   1. find_package(tblog) on an installed *shared* build, without protobuf findable
#      (the package must not require it), and the exported symbols checked with nm;
#   2. pkg-config on the same installed tree;
#   3. FetchContent (and so add_subdirectory) of the source tree, with the parent's build type
#      left alone.
# Usage: test_install.sh BUILD_DIR   (BUILD_DIR: the main, static build, for its `tblog` tool)
set -euo pipefail
BUILD_DIR=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
TBLOG_TOOL="$BUILD_DIR/tblog/cli/tblog"
check_logs() {  # the quickstart's output, read back by the tblog tool
  "$TBLOG_TOOL" verify "$1" > /dev/null
  "$TBLOG_TOOL" ls "$1" | grep -q "train/loss"
}

# ---- a shared build, installed ----------------------------------------------------------------
cmake -S "$SRC" -B "$WORK/shared-build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON \
      -DTBLOG_BUILD_TESTS=OFF -DTBLOG_BUILD_BENCH=OFF -DTBLOG_BUILD_TRAINERS=OFF \
      -DCMAKE_DISABLE_FIND_PACKAGE_Torch=ON > "$WORK/shared-configure.log"
# The core builds and installs where LibTorch cannot be found, and installs no torch layer.
if find "$WORK/shared-build" -name 'libtblog_torch*' | grep -q .; then
  echo "a build without LibTorch built tblog_torch" >&2; exit 1
fi
cmake --build "$WORK/shared-build" -j "$(nproc)" > "$WORK/shared-build.log"
cmake --install "$WORK/shared-build" --prefix "$WORK/prefix" > "$WORK/install.log"
PREFIX="$WORK/prefix"
LIBDIR=$(dirname "$(find "$PREFIX" -name 'libtblog.so' | head -1)")
test -f "$PREFIX/include/tblog/tblog.hpp"
test -f "$PREFIX/include/tblog/version.hpp"
test ! -e "$PREFIX/include/tblog/torch.hpp"
"$PREFIX/bin/tblog" --version | grep -q "^tblog $(sed -n 's/^project(tblog VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")$"
# The public headers must not drag in protobuf or zlib.
if grep -rE '#include [<"](google/protobuf|zlib)' "$PREFIX/include/tblog"; then
  echo "public headers include protobuf/zlib" >&2; exit 1
fi
# Only the public API is exported: every dynamic symbol is in namespace tblog, none internal.
nm -D --defined-only -C "$LIBDIR/libtblog.so" | awk '$2 ~ /[TWVBDR]/ {$1=""; $2=""; print}' \
  > "$WORK/exports.txt"
exported=$(wc -l < "$WORK/exports.txt")
if grep -vE '^ *(tblog::|typeinfo (name )?for tblog::|vtable for tblog::|VTT for tblog::)' \
     "$WORK/exports.txt" | grep -q .; then
  echo "libtblog.so exports symbols outside namespace tblog:" >&2
  grep -vE '^ *(tblog::|typeinfo (name )?for tblog::|vtable for tblog::)' "$WORK/exports.txt" | head -20 >&2
  exit 1
fi
if grep -qE 'tblog::(pb|detail)::|google::protobuf' "$WORK/exports.txt"; then
  echo "libtblog.so exports internals:" >&2
  grep -E 'tblog::(pb|detail)::|google::protobuf' "$WORK/exports.txt" | head -20 >&2
  exit 1
fi
echo "shared library: $exported exported symbols, all public API"

# ---- 1. find_package, with protobuf made unfindable ------------------------------------------
cmake -S "$SRC/examples/quickstart" -B "$WORK/find-package" -DCMAKE_PREFIX_PATH="$PREFIX" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON \
      -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON > "$WORK/find-package.log"
cmake --build "$WORK/find-package" -j 2 >> "$WORK/find-package.log"
LD_LIBRARY_PATH="$LIBDIR" "$WORK/find-package/quickstart" "$WORK/logs-find-package"
check_logs "$WORK/logs-find-package"
echo "1. find_package (shared, no protobuf needed): OK"

# ---- 2. pkg-config ---------------------------------------------------------------------------
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
test "$(pkg-config --modversion tblog)" = "$(LD_LIBRARY_PATH="$LIBDIR" "$PREFIX/bin/tblog" --version | cut -d' ' -f2)"
# shellcheck disable=SC2046
c++ -std=c++17 -O1 "$SRC/examples/quickstart/main.cpp" -o "$WORK/pkg-config-quickstart" \
    $(pkg-config --cflags --libs tblog)
LD_LIBRARY_PATH="$LIBDIR" "$WORK/pkg-config-quickstart" "$WORK/logs-pkg-config"
check_logs "$WORK/logs-pkg-config"
echo "2. pkg-config: OK"

# ---- 3. FetchContent of the source tree ------------------------------------------------------
mkdir -p "$WORK/fetch"
cat > "$WORK/fetch/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(uses_tblog LANGUAGES CXX)
include(FetchContent)
FetchContent_Declare(tblog SOURCE_DIR "$SRC")
FetchContent_MakeAvailable(tblog)
add_executable(quickstart "$SRC/examples/quickstart/main.cpp")
target_link_libraries(quickstart PRIVATE tblog::tblog)
CMAKE
cmake -S "$WORK/fetch" -B "$WORK/fetch-build" -DCMAKE_BUILD_TYPE=Debug > "$WORK/fetch.log"
if grep -q "trainers are NOT built" "$WORK/fetch.log"; then
  echo "FetchContent built more than the library" >&2; exit 1
fi
grep -q '^CMAKE_BUILD_TYPE:STRING=Debug$' "$WORK/fetch-build/CMakeCache.txt" ||
  { echo "tblog changed the parent's CMAKE_BUILD_TYPE" >&2; exit 1; }
cmake --build "$WORK/fetch-build" -j 2 >> "$WORK/fetch.log"
"$WORK/fetch-build/quickstart" "$WORK/logs-fetch"
check_logs "$WORK/logs-fetch"
# A parent that sets no build type keeps none (tblog forces Release only when top level).
cmake -S "$WORK/fetch" -B "$WORK/fetch-build-untyped" > /dev/null
grep -q '^CMAKE_BUILD_TYPE:STRING=$' "$WORK/fetch-build-untyped/CMakeCache.txt" ||
  { echo "tblog set a build type in its parent's cache" >&2; exit 1; }
echo "3. FetchContent: OK"
echo "install test: 3 ways OK"
