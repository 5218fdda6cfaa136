#!/usr/bin/env bash
# Installs the build as a user would and uses it from another project:
#   1. `cmake --install BUILD --prefix PREFIX` into a staging root (DESTDIR): no file lands outside PREFIX;
#   2. as a user who is not root (nobody, via runuser or setpriv, when this runs as root), against the
#      installed prefix moved elsewhere (the package is relocatable): a CMake project using
#      hokskit::hoksvalidate (C++) and hokskit::hoks (C), a C program built with pkg-config, and the
#      installed `hoks explain` showing its installed fixtures.
# Usage: package_test.sh BUILD_DIR CONSUMER_SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
prefix=/opt/hokskit-package-test
DESTDIR="$work/stage" cmake --install "$build" --prefix "$prefix" >/dev/null
outside=$(cd "$work/stage" && find . -mindepth 1 \( -type f -o -type l \) | grep -v "^\.$prefix/" || true)
if [ -n "$outside" ]; then
  echo "installed outside the prefix $prefix:"; echo "$outside"; exit 1
fi
for f in bin/hoks include/hoks/hoks.h include/hoks/hoks.hpp include/hoks/version.h lib/pkgconfig/hoks.pc \
         lib/cmake/hokskit/hokskitConfig.cmake share/hokskit/fixtures/rules; do
  [ -e "$work/stage$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
so=$(ls "$work/stage$prefix"/lib/libhoks.so.*.*)
soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
[ "$soname" = libhoks.so.1 ] || { echo "SONAME of $so: '$soname'"; exit 1; }
mv "$work/stage$prefix" "$work/prefix"  # a prefix other than the one given at install time
cp -r "$src" "$work/consumer"
mkdir "$work/build"

as_user=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$work/build"
  if command -v runuser >/dev/null; then as_user=(runuser -u nobody --)
  else as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --); fi
fi
"${as_user[@]}" env HOME="$work/build" PATH="$PATH" bash -c '
  set -euo pipefail
  w=$1
  echo "building the consumers as $(id -un)"
  cmake -S "$w/consumer" -B "$w/build/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$w/prefix" >/dev/null
  cmake --build "$w/build/cmake" >/dev/null
  "$w/build/cmake/consumer"
  "$w/build/cmake/consumer_c"
  export PKG_CONFIG_PATH="$w/prefix/lib/pkgconfig"
  cc -o "$w/build/pc_consumer" "$w/consumer/consumer.c" $(pkg-config --cflags --libs hoks) -Wl,-rpath,"$w/prefix/lib" ${HOKS_CONSUMER_FLAGS:-}
  "$w/build/pc_consumer"
  # The installed command finds its installed fixtures (the examples of hoks explain).
  "$w/prefix/bin/hoks" explain completion-date-range | grep -q "fixtures/rules/completion-date-range/fail-1.json"
' _ "$work"
