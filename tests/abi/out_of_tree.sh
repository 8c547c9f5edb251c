#!/bin/sh
# Usage: out_of_tree.sh BUILD_DIR SOURCE_DIR [HOLON_BIN]
#
# Does what a vendor does, in a temporary folder that is removed afterwards:
#  1. installs the SDK of BUILD_DIR (component "sdk" only) into a temporary prefix;
#  2. configures and builds sdk/examples/hello-cpp and sdk/examples/hello-c against it;
#  3. checks that each plugin exports only holon_plugin_entry;
#  4. when HOLON_BIN (argument or environment) names a built `holon`, lists the plugins through
#     HOLON_PLUGIN_PATH, runs both methods on an example model from schemas/examples (or this
#     test's own model) and passes both through `holon plugin check`.
# Writes nothing outside the temporary folder; needs no root.
set -eu

build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
holon_bin=${3:-${HOLON_BIN:-}}
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/holon-out-of-tree.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
# A host running as root drops runners to an unprivileged user, which must be able to read the
# plugins built in here (mktemp -d makes the folder private).
chmod 755 "$work"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

echo "== installing the SDK into $work/prefix"
cmake --install "$build_dir" --component sdk --prefix "$work/prefix" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log" >&2; fail "cmake --install --component sdk"; }
config=$(find "$work/prefix" -name HolonSDKConfig.cmake | head -n 1)
[ -n "$config" ] || fail "no HolonSDKConfig.cmake installed"
for f in include/holon/holon_plugin.h include/holon/plugin.hpp; do
    [ -f "$work/prefix/$f" ] || fail "$f not installed"
done
for f in HolonSDKConfigVersion.cmake HolonSDKTargets.cmake HolonPlugin.cmake holon_plugin.map; do
    [ -f "$(dirname "$config")/$f" ] || fail "$f not installed next to HolonSDKConfig.cmake"
done
# The SDK component is the SDK only: headers and CMake files, nothing of the host.
extra=$(cd "$work/prefix" && find . -type f | grep -v -e '^./include/holon/' -e '/cmake/HolonSDK/' || true)
[ -z "$extra" ] || fail "the sdk component installs more than the SDK: $extra"

# SameMajorVersion: this SDK satisfies 1.0 and refuses a request for 2.0.
mkdir -p "$work/version-probe"
probe_version() { # requested version -> exit status of configuring a project that asks for it
    printf 'cmake_minimum_required(VERSION 3.20)\nproject(probe LANGUAGES NONE)\nfind_package(HolonSDK %s REQUIRED)\nif(NOT TARGET HolonSDK::sdk OR NOT COMMAND holon_add_plugin)\n  message(FATAL_ERROR "package incomplete")\nendif()\n' \
        "$1" >"$work/version-probe/CMakeLists.txt"
    rm -rf "$work/version-probe/build"
    cmake -S "$work/version-probe" -B "$work/version-probe/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/version-probe.log" 2>&1
}
probe_version 1.0 || { cat "$work/version-probe.log" >&2; fail "find_package(HolonSDK 1.0) failed"; }
if probe_version 2.0; then fail "find_package(HolonSDK 2.0) accepted a 1.x SDK"; fi

generator=
if command -v ninja >/dev/null 2>&1; then generator="-G Ninja"; fi

build_example() { # name -> builds into $work/build-<name>
    echo "== building sdk/examples/$1 against the installed SDK"
    # shellcheck disable=SC2086
    cmake -S "$source_dir/sdk/examples/$1" -B "$work/build-$1" $generator \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$work/prefix" \
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure-$1.log" 2>&1 ||
        { cat "$work/configure-$1.log" >&2; fail "configuring $1"; }
    grep -q "^HolonSDK_DIR:PATH=$work/prefix/" "$work/build-$1/CMakeCache.txt" ||
        fail "$1 found a HolonSDK other than the one just installed"
    cmake --build "$work/build-$1" >"$work/build-$1.log" 2>&1 ||
        { cat "$work/build-$1.log" >&2; fail "building $1"; }
}
build_example hello-cpp
build_example hello-c

hello_dir=$work/build-hello-cpp/hello
helloc_dir=$work/build-hello-c/helloc
for f in "$hello_dir/hello.so" "$hello_dir/plugin.json" "$helloc_dir/helloc.so" "$helloc_dir/plugin.json"; do
    [ -f "$f" ] || fail "$f was not built"
done
sh "$here/check_exports.sh" "${NM:-nm}" "$hello_dir/hello.so" "$helloc_dir/helloc.so"

if [ -z "$holon_bin" ]; then
    echo "== HOLON_BIN not given: skipped running the plugins through holon"
    exit 0
fi

echo "== holon plugins --json"
export HOLON_PLUGIN_PATH="$work/build-hello-cpp:$work/build-hello-c"
"$holon_bin" plugins --json >"$work/plugins.json" || fail "holon plugins --json exited $?"
grep -q '"hello"' "$work/plugins.json" || { cat "$work/plugins.json" >&2; fail "hello is not listed"; }
grep -q '"helloc"' "$work/plugins.json" || { cat "$work/plugins.json" >&2; fail "helloc is not listed"; }
if command -v jq >/dev/null 2>&1; then
    for pair in hello:hello.summary helloc:helloc.stats; do
        id=${pair%%:*}
        method=${pair#*:}
        jq -e --arg id "$id" --arg m "$method" \
            '.[] | select(.id == $id) | (has("error") | not) and ([.methods[].id] == [$m])' \
            "$work/plugins.json" >/dev/null ||
            { jq --arg id "$id" '.[] | select(.id == $id)' "$work/plugins.json" >&2; fail "$id is listed but not usable"; }
    done
fi

# An example of the model schema when there is one, else this test's own valid model.
model=$(ls "$source_dir"/schemas/examples/*.model.json 2>/dev/null | head -n 1 || true)
[ -n "$model" ] || model=$here/data/population.model.json
echo "== holon run hello.summary --model $model"
"$holon_bin" run hello.summary --model "$model" >"$work/summary.json" || fail "holon run hello.summary exited $?"
grep -q '"most_connected"' "$work/summary.json" || { cat "$work/summary.json" >&2; fail "no summary in the output"; }
echo "== holon run helloc.stats --model $model"
"$holon_bin" run helloc.stats --model "$model" >"$work/stats.json" || fail "holon run helloc.stats exited $?"
grep -q '"id_occurrences"' "$work/stats.json" || { cat "$work/stats.json" >&2; fail "no stats in the output"; }

echo "== holon plugin check (the validator) on both plugins"
"$holon_bin" plugin check "$hello_dir" || fail "holon plugin check $hello_dir exited $?"
"$holon_bin" plugin check "$helloc_dir" || fail "holon plugin check $helloc_dir exited $?"

if command -v jq >/dev/null 2>&1; then
    # The counts must be those of the model file, wherever holon puts the result in its output.
    want_vars=$(jq '.variables // [] | length' "$model")
    want_links=$(jq '.links // [] | length' "$model")
    got_vars=$(jq '[.. | objects | select(has("most_connected"))][0].variables.total' "$work/summary.json")
    got_links=$(jq '[.. | objects | select(has("most_connected"))][0].links.total' "$work/summary.json")
    [ "$got_vars" = "$want_vars" ] || fail "hello.summary counted $got_vars variables, the model has $want_vars"
    [ "$got_links" = "$want_links" ] || fail "hello.summary counted $got_links links, the model has $want_links"
    want_bytes=$(wc -c <"$model" | tr -d ' ')
    got_bytes=$(jq '[.. | objects | select(has("id_occurrences"))][0].model_bytes' "$work/stats.json")
    # The host may re-serialise the model, so only require a plausible, non-zero size.
    [ "$got_bytes" -gt 0 ] 2>/dev/null || fail "helloc.stats reported model_bytes=$got_bytes (file: $want_bytes)"
fi
echo "ok: out-of-tree plugins built, listed and run"
