#!/usr/bin/env bash
# tblog from Conan 2, offline: Conan from PyPI in a venv under the build tree, a Conan home of
# its own (the user's ~/.conan2 is left alone), `conan create` of conanfile.py with Debian's
# protobuf, libdeflate and giflib as [platform_requires] (packaging/conan/debian.profile), then
# an unrelated consumer (packaging/conan/consumer: examples/quickstart) built with CMakeDeps and
# CMakeToolchain, run, and its logs read back by the tblog tool.
# Usage: test_conan.sh BUILD_DIR   (BUILD_DIR: the main build, for its venvs and `tblog` tool)
set -euo pipefail
BUILD_DIR=$(cd "$1" && pwd)
SRC=$(cd "$(dirname "$0")/.." && pwd)
VENV="$BUILD_DIR/conan-venv"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -x "$VENV/bin/conan" ] || { python3 -m venv "$VENV" &&
  "$VENV/bin/pip" install -q --disable-pip-version-check "conan>=2,<3"; }
CONAN="$VENV/bin/conan"
export CONAN_HOME="$WORK/conan-home"
"$CONAN" profile detect > "$WORK/profile.log" 2>&1
PROFILE="$SRC/packaging/conan/debian.profile"
VERSION=$(sed -n 's/^project(tblog VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
# Offline: no remote is asked; the dependencies resolve to the platform.
"$CONAN" create "$SRC" --profile "$PROFILE" --build=missing --no-remote > "$WORK/create.log" 2>&1 ||
  { tail -40 "$WORK/create.log"; exit 1; }
grep -q "protobuf/3.21.12#platform - Platform" "$WORK/create.log" ||
  { echo "conan create did not take protobuf from the platform" >&2; exit 1; }
"$CONAN" list "tblog/$VERSION:*" > "$WORK/list.txt" 2>&1
grep -q "tblog/$VERSION" "$WORK/list.txt" || { cat "$WORK/list.txt"; exit 1; }
echo "conan create: tblog/$VERSION in the cache"

# The consumer, from a copy so that nothing is written into the source tree.
cp -r "$SRC/packaging/conan/consumer" "$WORK/consumer"
sed -i "s|\${CMAKE_CURRENT_SOURCE_DIR}/../../../examples/quickstart/main.cpp|$SRC/examples/quickstart/main.cpp|" \
  "$WORK/consumer/CMakeLists.txt"
sed -i "s|^tblog/.*|tblog/$VERSION|" "$WORK/consumer/conanfile.txt"
(cd "$WORK/consumer" && "$CONAN" install . --profile "$PROFILE" --no-remote > "$WORK/install.log" 2>&1) ||
  { tail -30 "$WORK/install.log"; exit 1; }
TOOLCHAIN=$(find "$WORK/consumer/build" -name conan_toolchain.cmake | head -1)
[ -n "$TOOLCHAIN" ] || { echo "conan install wrote no conan_toolchain.cmake" >&2; exit 1; }
cmake -S "$WORK/consumer" -B "$WORK/consumer/out" -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
      -DCMAKE_BUILD_TYPE=Release > "$WORK/consumer.log" 2>&1 || { tail -30 "$WORK/consumer.log"; exit 1; }
cmake --build "$WORK/consumer/out" >> "$WORK/consumer.log" 2>&1 || { tail -30 "$WORK/consumer.log"; exit 1; }
"$WORK/consumer/out/quickstart" "$WORK/logs"
"$BUILD_DIR/tblog/cli/tblog" verify "$WORK/logs" > /dev/null
"$BUILD_DIR/tblog/cli/tblog" ls "$WORK/logs" | grep -q "train/loss"
echo "conan consumer (CMakeDeps + CMakeToolchain): built, ran, its logs verified"
