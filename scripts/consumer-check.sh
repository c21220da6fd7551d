#!/usr/bin/env bash
# scripts/consumer-check.sh BUILD_DIR: what an ERP vendor gets from the Debian packages, checked
# without installing them on this machine (docs/packaging.md). From BUILD_DIR, configured and
# with its shipped targets built (or buildable: target fiscpos_shipped), into
# BUILD_DIR/consumer-check:
#   packages   cpack builds libfiscpos<N>, libfiscpos-dev, fiscpos and their -dbgsym .ddeb
#   contents   dpkg-deb -x unpacks them into staging/; each package holds its files
#   stripped   the library and the programs are stripped, their debug symbols in the .ddeb
#   control    dpkg-deb -I (printed); the dependencies: shlibdeps', the shlibs file,
#              libfiscpos-dev on libfiscpos<N> of the same version
#   unit       dpkg-deb -c lists the systemd unit; systemd-analyze verify, where it is installed
#   cmake      samples/consumer built with find_package(fiscpos CONFIG) (CMAKE_PREFIX_PATH =
#              staging) and run
#   pkg-config the same program built with pkg-config (PKG_CONFIG_PATH) and run
# The consumer is compiled with BUILD_DIR's C compiler; FISCPOS_CONSUMER_FLAGS are added to its
# compile and link, FISCPOS_CONSUMER_LIBS to its link (a sanitizer build's library needs the
# sanitizer runtime in the program: scripts/ci.sh sets both). FISCPOS_DEB_COMPRESSION (e.g. gzip)
# replaces the packages' xz. Closes with CTest's summary line, which scripts/ci.sh counts.
set -uo pipefail
build_dir=$(cd "${1:?usage: scripts/consumer-check.sh BUILD_DIR}" && pwd) || exit 2
cd "$(dirname "$0")/.." || exit 2
source_dir=$PWD
work=$build_dir/consumer-check
staging=$work/staging
flags=${FISCPOS_CONSUMER_FLAGS:-}
libs=${FISCPOS_CONSUMER_LIBS:-}

cache() { sed -n "s/^$1:[A-Z]*=//p" "$build_dir/CMakeCache.txt"; }
cpack_var() { sed -n "s/^set($1 \"\(.*\)\")$/\1/p" "$build_dir/CPackConfig.cmake"; }
prefix=$(cache CMAKE_INSTALL_PREFIX)
libdir=$prefix/$(cache CMAKE_INSTALL_LIBDIR)
includedir=$prefix/$(cache CMAKE_INSTALL_INCLUDEDIR)
bindir=$prefix/$(cache CMAKE_INSTALL_BINDIR)
docdir=$(cache CMAKE_INSTALL_DOCDIR)
docdir=$prefix/${docdir:-$(cache CMAKE_INSTALL_DATAROOTDIR)/doc/fiscpos}
cc=$(cache CMAKE_C_COMPILER)
version=$(cpack_var CPACK_PACKAGE_VERSION)
runtime=$(cpack_var CPACK_DEBIAN_RUNTIME_PACKAGE_NAME)
dev=$(cpack_var CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME)
tools=$(cpack_var CPACK_DEBIAN_TOOLS_PACKAGE_NAME)
soversion=${runtime#libfiscpos}
unit_dir=$(cache FISCPOS_SYSTEMD_UNIT_DIR)
[[ $unit_dir = /* ]] || unit_dir=$prefix/$unit_dir

passed=0
failed=0
check() {
    local name=$1
    shift
    echo "-- consumer-check: $name"
    if "$@"; then
        passed=$((passed + 1))
        echo "-- consumer-check: $name passed"
    else
        failed=$((failed + 1))
        echo "-- consumer-check: $name FAILED"
    fi
}
summary() {
    local total=$((passed + failed))
    echo "$(( total > 0 ? passed * 100 / total : 0 ))% tests passed, $failed tests failed out of $total"
}
fail() {
    echo "   $*" >&2
    return 1
}
package() { find "$work/packages" -maxdepth 1 -name "$1_*.${2:-deb}" | head -n 1; }
listing() { dpkg-deb -c "$1" | awk '{print substr($6, 2)}'; }
# (grep >/dev/null rather than grep -q after a pipe: -q stops reading at the first match, and the
# writer's SIGPIPE would fail the pipeline under pipefail.)

build_packages() {
    rm -rf "$work"
    mkdir -p "$work"
    cmake --build "$build_dir" -j"${FISCPOS_JOBS:-2}" --target fiscpos_shipped >"$work/build.log" 2>&1 ||
        { tail -n 30 "$work/build.log" >&2; fail "building target fiscpos_shipped failed"; return; }
    local extra=()
    [ -z "${FISCPOS_DEB_COMPRESSION:-}" ] ||
        extra=(-D CPACK_DEBIAN_COMPRESSION_TYPE="$FISCPOS_DEB_COMPRESSION")
    cpack --config "$build_dir/CPackConfig.cmake" -B "$work/packages" "${extra[@]}" \
        >"$work/cpack.log" 2>&1 || { tail -n 30 "$work/cpack.log" >&2; fail "cpack failed"; return; }
    local name ok=0
    for name in "$runtime" "$dev" "$tools"; do
        [ -n "$(package "$name")" ] || { fail "no $name .deb"; ok=1; }
    done
    for name in "$runtime" "$tools"; do
        [ -n "$(package "$name-dbgsym" ddeb)" ] || { fail "no $name-dbgsym .ddeb"; ok=1; }
    done
    ls -l "$work"/packages/*.deb "$work"/packages/*.ddeb
    return $ok
}

# Each package holds its files, and only the expected package holds them.
contents() {
    local ok=0 deb path name
    declare -A expected=(
        ["$runtime"]="$libdir/libfiscpos.so.$soversion $libdir/libfiscpos.so.$version"
        ["$dev"]="$includedir/fiscpos/fiscpos.h $libdir/libfiscpos.so
            $libdir/cmake/fiscpos/fiscposConfig.cmake $libdir/cmake/fiscpos/fiscposConfigVersion.cmake
            $libdir/cmake/fiscpos/fiscposTargets.cmake $libdir/pkgconfig/fiscpos.pc"
        ["$tools"]="$bindir/fiscpos $bindir/fiscpos-sim $unit_dir/fiscpos.service
            $docdir/examples/fiscpos.ini $docdir/examples/fiscpos-sim.ini
            $docdir/examples/invoices/sale-1.24.json"
    )
    rm -rf "$staging"
    mkdir -p "$staging"
    for name in "$runtime" "$dev" "$tools"; do
        deb=$(package "$name")
        dpkg-deb -x "$deb" "$staging" || { fail "dpkg-deb -x $deb failed"; ok=1; }
        for path in ${expected[$name]}; do
            listing "$deb" | grep -xF "$path" >/dev/null || { fail "$name lacks $path"; ok=1; }
            [ -e "$staging$path" ] || { fail "$path is not in the staging folder"; ok=1; }
        done
    done
    # Nothing of the tests, benchmarks, fuzzers or demo; no static library.
    if find "$staging" -name '*.a' -o -name '*test*' -o -name '*fuzz*' -o -name '*bench*' \
        -o -name 'fiscpos-demo' | grep .; then
        fail "the packages hold files that are not shipped (above)"
        ok=1
    fi
    grep -q '^url = sqlite:/var/lib/fiscpos/fiscpos.db' "$staging$docdir/examples/fiscpos.ini" ||
        { fail "the example configuration's journal is not in /var/lib/fiscpos"; ok=1; }
    return $ok
}

# The ELF files are stripped, point at their debug file, and the .ddeb holds it (by build id).
stripped() {
    local ok=0 file info id name debug
    for name in "$runtime:$libdir/libfiscpos.so.$version" "$tools:$bindir/fiscpos" \
        "$tools:$bindir/fiscpos-sim"; do
        file=$staging${name#*:}
        info=$(file -b "$file")
        echo "   ${name#*:}: $(du -h "$file" | cut -f1), $info" | cut -c1-160
        [[ $info = *", stripped"* ]] || { fail "${name#*:} is not stripped"; ok=1; }
        readelf -S "$file" | grep '\.gnu_debuglink' >/dev/null ||
            { fail "${name#*:} has no .gnu_debuglink"; ok=1; }
        id=$(readelf -n "$file" | sed -n 's/^ *Build ID: //p')
        debug=./usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
        dpkg-deb -c "$(package "${name%%:*}-dbgsym" ddeb)" | grep -F " $debug" >/dev/null ||
            { fail "${name%%:*}-dbgsym lacks $debug (build id of ${name#*:})"; ok=1; }
    done
    return $ok
}

control() {
    local ok=0 name deb debian_version
    for name in "$runtime" "$dev" "$tools"; do
        deb=$(package "$name")
        echo "   == dpkg-deb -I $(basename "$deb")"
        dpkg-deb -I "$deb" | sed 's/^/   /'
        [ "$(dpkg-deb -f "$deb" Maintainer)" != "" ] || { fail "$name has no Maintainer"; ok=1; }
        [[ $(dpkg-deb -f "$deb" Version) = "$version"-* ]] ||
            { fail "$name's version is not $version-<release>"; ok=1; }
    done
    debian_version=$(dpkg-deb -f "$(package "$runtime")" Version)
    dpkg-deb -f "$(package "$dev")" Depends | grep -F "$runtime (= $debian_version)" >/dev/null ||
        { fail "$dev does not depend on $runtime (= $debian_version)"; ok=1; }
    for name in "$runtime" "$tools"; do
        dpkg-deb -f "$(package "$name")" Depends | grep 'libc6' >/dev/null ||
            { fail "$name has no dependencies from dpkg-shlibdeps"; ok=1; }
    done
    dpkg-deb -I "$(package "$runtime")" shlibs |
        grep -xF "libfiscpos $soversion $runtime (>= $debian_version)" >/dev/null ||
        { fail "$runtime has no shlibs file for libfiscpos $soversion"; ok=1; }
    # cpack runs ldconfig from the library's maintainer scripts when it is in /usr/lib or below.
    if [[ $libdir = /usr/lib* ]]; then
        dpkg-deb -I "$(package "$runtime")" postinst | grep ldconfig >/dev/null ||
            { fail "$runtime does not run ldconfig"; ok=1; }
    fi
    return $ok
}

unit() {
    local deb
    deb=$(package "$tools")
    dpkg-deb -c "$deb" | grep -F " .$unit_dir/fiscpos.service" ||
        { fail "$tools does not list $unit_dir/fiscpos.service"; return 1; }
    grep "^ExecStart=$bindir/fiscpos --config .*/fiscpos/fiscpos.ini serve\$" \
        "$staging$unit_dir/fiscpos.service" ||
        { fail "the unit does not start $bindir/fiscpos ... serve"; return 1; }
    if command -v systemd-analyze >/dev/null; then
        # verify wants ExecStart's program to exist: a copy that starts the unpacked one.
        local copy=$work/unit/fiscpos.service output
        mkdir -p "$work/unit"
        sed "s|^ExecStart=$bindir/|ExecStart=$staging$bindir/|" "$staging$unit_dir/fiscpos.service" \
            >"$copy"
        output=$(systemd-analyze verify "$copy" 2>&1)
        local rc=$?
        [ -z "$output" ] || echo "$output"
        if [ $rc -ne 0 ] || [[ $output = *fiscpos.service* ]]; then
            fail "systemd-analyze verify found problems in the unit"
            return 1
        fi
        echo "   systemd-analyze verify: no problem"
    else
        echo "   systemd-analyze is not installed: the unit's syntax is not verified"
    fi
}

# A configuration with a new SQLite journal beside it, and a provider that is never called.
write_config() {
    mkdir -p "$1"
    rm -f "$1"/consumer.db*
    printf '%s\n' '[journal]' 'url = sqlite:consumer.db' '[provider]' 'kind = mydataprovider' \
        'url = http://127.0.0.1:9/provider' 'token = consumer-check' >"$1/consumer.ini"
}

run_consumer() {
    write_config "$(dirname "$1")"
    LD_LIBRARY_PATH=$staging$libdir "$1" "$version" "$(dirname "$1")/consumer.ini"
}

with_cmake() {
    local dir=$work/cmake
    cmake -S "$source_dir/samples/consumer" -B "$dir" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_PREFIX_PATH="$staging$prefix" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS="-std=c99 -Wall -Wextra -Wpedantic -Werror $flags" \
        -DCMAKE_EXE_LINKER_FLAGS="$flags $libs" >"$work/cmake.log" 2>&1 ||
        { cat "$work/cmake.log" >&2; fail "configuring samples/consumer failed"; return; }
    local found
    found=$(sed -n 's/^fiscpos_DIR:PATH=//p' "$dir/CMakeCache.txt")
    echo "   find_package(fiscpos CONFIG): $found"
    [[ $found = "$staging"/* ]] || { fail "fiscpos was not found in the staging folder"; return 1; }
    cmake --build "$dir" >>"$work/cmake.log" 2>&1 ||
        { cat "$work/cmake.log" >&2; fail "building samples/consumer failed"; return; }
    run_consumer "$dir/consumer"
}

with_pkg_config() {
    local dir=$work/pkg-config
    export PKG_CONFIG_PATH=$staging$libdir/pkgconfig
    local found cflags libs_pc
    found=$(pkg-config --modversion fiscpos) || { fail "pkg-config does not find fiscpos"; return 1; }
    [ "$found" = "$version" ] || { fail "pkg-config --modversion fiscpos is $found"; return 1; }
    cflags=$(pkg-config --cflags fiscpos)
    libs_pc=$(pkg-config --libs fiscpos)
    echo "   pkg-config --cflags --libs fiscpos: $cflags $libs_pc"
    [[ $cflags = "-I$staging"* ]] || { fail "the include folder is not the staging folder's"; return 1; }
    mkdir -p "$dir"
    # shellcheck disable=SC2086 # the flags are words
    "$cc" -std=c99 -Wall -Wextra -Wpedantic -Werror $flags "$source_dir/samples/consumer/consumer.c" \
        -o "$dir/consumer" $cflags $libs_pc $libs || { fail "building with pkg-config failed"; return 1; }
    run_consumer "$dir/consumer"
}

start=$SECONDS
check packages build_packages
if [ "$failed" -eq 0 ]; then
    check contents contents
    check stripped stripped
    check control control
    check unit unit
    check cmake with_cmake
    check pkg-config with_pkg_config
fi
echo "consumer-check: $build_dir took $((SECONDS - start)) s"
summary
[ "$failed" -eq 0 ]
