#!/usr/bin/env bash
# Installs tblog from BUILD_DIR into a fresh prefix, builds examples/quickstart against it with
# find_package(tblog), runs it and verifies its output with the installed `tblog` tool.
set -euo pipefail
BUILD_DIR=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cmake --install "$BUILD_DIR" --prefix "$WORK/prefix" > "$WORK/install.log"
test -f "$WORK/prefix/include/tblog/tblog.hpp"
# The public headers must not drag in protobuf or zlib.
if grep -rE '#include [<"](google/protobuf|zlib)' "$WORK/prefix/include/tblog"; then
  echo "public headers include protobuf/zlib" >&2; exit 1
fi
cmake -S "$SRC/examples/quickstart" -B "$WORK/build" -DCMAKE_PREFIX_PATH="$WORK/prefix" \
      -DCMAKE_BUILD_TYPE=Release > "$WORK/configure.log"
cmake --build "$WORK/build" -j 2 > "$WORK/build.log"
"$WORK/build/quickstart" "$WORK/logs"
"$WORK/prefix/bin/tblog" verify "$WORK/logs"
"$WORK/prefix/bin/tblog" ls "$WORK/logs" | grep -q "train/loss"
echo "install + find_package + example: OK"

# The same program, taking tblog in with add_subdirectory (only the library gets built).
mkdir -p "$WORK/sub"
cat > "$WORK/sub/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(uses_tblog LANGUAGES CXX)
add_subdirectory("$SRC" tblog)
add_executable(quickstart "$SRC/examples/quickstart/main.cpp")
target_link_libraries(quickstart PRIVATE tblog::tblog)
CMAKE
cmake -S "$WORK/sub" -B "$WORK/sub-build" -DCMAKE_BUILD_TYPE=Release > "$WORK/sub.log"
if grep -q "trainers are NOT built" "$WORK/sub.log"; then echo "add_subdirectory built more than the library" >&2; exit 1; fi
cmake --build "$WORK/sub-build" -j 2 >> "$WORK/sub.log"
"$WORK/sub-build/quickstart" "$WORK/logs-sub"
"$WORK/prefix/bin/tblog" verify "$WORK/logs-sub"
echo "add_subdirectory + example: OK"
