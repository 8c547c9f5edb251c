#!/usr/bin/env bash
# Builds the Debian packages from the release build (cpack), installs them on this machine, and
# checks them as an administrator would: the installed layout and service user, the systemd unit
# (systemd-analyze verify and its security exposure), the server started from its installed paths
# as the service user with the packaged configuration (readiness, an SD run over REST, a reload),
# the SDK package building the out-of-tree example plugin with find_package(HolonSDK) from /usr.
# Then it removes the packages, and the user and data it created. Needs root (CI runs as root).
# Idempotent: a leftover installation of an interrupted run is purged first.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build/release
out=$build/packages
port=${HOLON_PACKAGE_PORT:-18181}
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== building the Debian packages"
rm -rf "$out" && mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log" >&2; fail "cpack"; }
holon_deb=$(ls "$out"/holon_*.deb)
sdk_deb=$(ls "$out"/libholonsdk-dev_*.deb)
for deb in "$holon_deb" "$sdk_deb"; do dpkg-deb -f "$deb" Package Version Architecture Depends | sed 's/^/   /'; done

echo "== installing them"
$SUDO dpkg --purge holon libholonsdk-dev >/dev/null 2>&1 || true
had_user=0; getent passwd holon >/dev/null && had_user=1
had_data=0; [ -e /var/lib/holon ] && had_data=1
# apt resolves the packages' Depends from Debian's archive (already installed by setup.sh here).
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
    "$holon_deb" "$sdk_deb" >"$out/install.log" 2>&1 || { cat "$out/install.log" >&2; fail "apt-get install"; }

server=""
cleanup() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    $SUDO dpkg --purge holon libholonsdk-dev >/dev/null 2>&1 || true
    if [ "$had_data" = 0 ]; then $SUDO rm -rf /var/lib/holon; fi
    if [ "$had_user" = 0 ] && getent passwd holon >/dev/null; then
        $SUDO deluser --quiet --system holon >/dev/null 2>&1 || true
        $SUDO delgroup --quiet --system holon >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

echo "== checking the installed layout"
for f in /usr/bin/holon /usr/lib/holon/holon-runner /usr/lib/holon/plugins/sd/sd.so \
         /usr/lib/holon/plugins/sd/plugin.json /etc/holon/holon.yaml /lib/systemd/system/holon.service \
         /usr/include/holon/holon_plugin.h /usr/lib/cmake/HolonSDK/HolonSDKConfig.cmake; do
    [ -e "$f" ] || fail "$f is not installed"
done
getent passwd holon >/dev/null || fail "the package did not create the holon user"
[ "$(stat -c '%U %a' /var/lib/holon)" = "holon 700" ] || fail "/var/lib/holon is $(stat -c '%U %a' /var/lib/holon), not holon 700"
dpkg-query -W -f='${Conffiles}\n' holon | grep -q /etc/holon/holon.yaml || fail "holon.yaml is not a conffile"

echo "== the systemd unit"
systemd-analyze verify /lib/systemd/system/holon.service
systemd-analyze security --offline=true /lib/systemd/system/holon.service | tail -n 1

echo "== holon plugins, from the installed paths only"
(cd / && env -u HOLON_PLUGIN_PATH /usr/bin/holon plugins) | tee "$out/plugins.txt"
for p in sd cld scenarios vsm ssm csh; do grep -q "^$p " "$out/plugins.txt" || grep -q "$p" "$out/plugins.txt" || fail "plugin $p not found"; done

echo "== the server as the service user, with the packaged configuration"
cd /var/lib/holon
# setpriv execs the server itself (runuser would stay between), so $! is the server's pid for
# the signals below, as systemd's $MAINPID is.
$SUDO env HOLON_LISTEN=127.0.0.1:$port setpriv --reuid=holon --regid=holon --init-groups \
    /usr/bin/holon serve --config /etc/holon/holon.yaml >"$out/server.log" 2>&1 &
server=$!
cd "$root"
url=http://127.0.0.1:$port
ready() {
    for _ in $(seq 1 100); do
        curl -fsS "$url/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; fail "holon serve stopped"; }
        sleep 0.1
    done
    cat "$out/server.log" >&2
    fail "holon serve is not ready at $url"
}
ready
[ "$(stat -c %U /var/lib/holon/holon.db)" = holon ] || fail "the database is not owned by the service user"
admin=$($SUDO cat /var/lib/holon/admin-token)
auth=(-H "Authorization: Bearer $admin")
ws=$(curl -fsS -X POST "$url/v1/workspaces" "${auth[@]}" -H 'Content-Type: application/json' -d '{"name":"smoke"}' | jq -r .id)
model=$(curl -fsS -X POST "$url/v1/workspaces/$ws/models" "${auth[@]}" -H 'Content-Type: application/xml' \
        --data-binary @docs/examples/SIR.xmile | jq -r .id)
run=$(curl -fsS -X POST "$url/v1/workspaces/$ws/runs?wait=30" "${auth[@]}" -H 'Content-Type: application/json' \
        -d "{\"method\":\"sd.simulate\",\"model\":\"$model\"}")
state=$(echo "$run" | jq -r .state)
[ "$state" = succeeded ] || { echo "$run" >&2; cat "$out/server.log" >&2; fail "the SD run ended $state"; }
rows=$(curl -fsS "$url/v1/workspaces/$ws/runs/$(echo "$run" | jq -r .id)/tables/series" "${auth[@]}" -H 'Accept: text/csv' | wc -l)
[ "$rows" -gt 10 ] || fail "the run's series has $rows lines"
echo "   sd.simulate of SIR.xmile over REST: $state, $rows CSV lines"

echo "== systemctl reload (SIGHUP): the server re-reads its configuration and serves again"
kill -HUP "$server"
sleep 0.5
ready
grep -q '"reloading"' "$out/server.log" || fail "no reload in the server log"
curl -fsS "$url/v1/workspaces/$ws/models/$model" "${auth[@]}" >/dev/null || fail "the model is gone after a reload"
kill -TERM "$server"; wait "$server" || fail "holon serve exited $? on SIGTERM"; server=""

echo "== the SDK package: the out-of-tree example plugin with find_package(HolonSDK) from /usr"
work=$(mktemp -d)
cmake -S sdk/examples/hello-cpp -B "$work/build" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log" >&2; fail "configuring the example plugin against /usr"; }
grep -q "/usr/lib/cmake/HolonSDK" "$work/build/CMakeCache.txt" || fail "the example did not find the installed SDK"
cmake --build "$work/build" -j 2 >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; fail "building the example plugin"; }
plugin_dir=$(dirname "$(find "$work/build" -name plugin.json | head -n 1)")
chmod -R a+rX "$work"
/usr/bin/holon plugins --plugin-path "$plugin_dir" | grep -q hello || fail "the installed holon does not list the example plugin"
rm -rf "$work"

echo "== packages OK: $(basename "$holon_deb") $(basename "$sdk_deb")"
