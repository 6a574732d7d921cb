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
