#!/usr/bin/env bash
# Builds the Debian packages of fiscpos (docs/packaging.md): a release build (RelWithDebInfo,
# -O2 -g) of only what the packages hold (target fiscpos_shipped) in ./build-package (or
# $FISCPOS_BUILD_DIR), installed under /usr, then cpack. Prints each .deb and .ddeb with its size
# into <build dir>/packages. Extra arguments go to cmake's configure step, e.g.
# -DFISCPOS_PACKAGE_MAINTAINER="Name <address>" or -DCMAKE_CXX_COMPILER_LAUNCHER=ccache.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${FISCPOS_BUILD_DIR:-build-package}
jobs=${FISCPOS_JOBS:-2}
flags="-O2 -g -DNDEBUG"

# CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: cpack installs what is built instead of building every
# target (the tests, the benchmarks, the demo) first.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$flags" \
    -DFISCPOS_SANITIZE=OFF -DFISCPOS_FUZZ=OFF -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON \
    "$@" >/dev/null
cmake --build "$build_dir" -j"$jobs" --target fiscpos_shipped
rm -rf "$build_dir/packages"
cpack --config "$build_dir/CPackConfig.cmake" -B "$build_dir/packages" >"$build_dir/cpack.log" 2>&1 ||
    { cat "$build_dir/cpack.log" >&2; exit 1; }

echo "packages in $build_dir/packages:"
for package in "$build_dir"/packages/*.deb "$build_dir"/packages/*.ddeb; do
    printf '  %-48s %6s KiB (installed %s KiB)\n' "$(basename "$package")" \
        "$(( $(stat -c %s "$package") / 1024 ))" "$(dpkg-deb -f "$package" Installed-Size)"
done
