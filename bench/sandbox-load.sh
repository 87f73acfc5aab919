#!/usr/bin/env bash
# Load check of the sandbox with wrk: session.start, then category.get, each for SECONDS with
# CONNECTIONS connections. Reports requests per second, errors (socket errors and non-2xx) and
# the sandbox's resident memory before, between and after, to see that it stays flat.
# Not part of `make test`.
#
#   bench/sandbox-load.sh [SECONDS] [CONNECTIONS]     (default 30 64)
#
# Needs: wrk (Debian package wrk) and a built ktestme (make).
set -u
cd "$(dirname "$0")/.." || exit 1
SECS=${1:-30}
CONNS=${2:-64}
KTESTME=${KTESTME:-./ktestme}
command -v wrk >/dev/null || { echo "sandbox-load: needs wrk (apt-get install wrk)" >&2; exit 1; }
[ -x "$KTESTME" ] || { echo "sandbox-load: build ktestme first (make)" >&2; exit 1; }

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
KTESTME_SANDBOX_ADMIN_SECRET=bench-admin KTESTME_SANDBOX_USER_SECRET=bench-user \
	"$KTESTME" sandbox --listen 127.0.0.1:0 --partner-id 100 >"$work/out" 2>&1 </dev/null &
pid=$!
for _ in $(seq 100); do
	url=$(sed -n 's/^sandbox: //p' "$work/out")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "${url:-}" ] || { echo "sandbox-load: the sandbox did not start" >&2; exit 1; }
rss() { awk '/^VmRSS/ {print $2 " kB"}' "/proc/$pid/status"; }

ks=$("$KTESTME" ks gen --partner-id 100 --secret bench-admin --type admin \
	--privileges disableentitlement --expiry 86400)
cat >"$work/start.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "secret=bench-admin&partnerId=100&type=2&userId=bench"
LUA
cat >"$work/get.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "ks=$ks&id=1"
LUA

echo "sandbox-load: $url, ${SECS}s x $CONNS connections, 2 wrk threads, memory before: $(rss)"
run() {
	local name=$1 path=$2 script=$3
	wrk -t2 -c"$CONNS" -d"${SECS}s" -s "$script" "$url$path" >"$work/$name.txt" 2>&1
	local rps errs non2xx
	rps=$(awk '/Requests\/sec/ {print $2}' "$work/$name.txt")
	errs=$(awk '/Socket errors/ {print $0}' "$work/$name.txt")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name.txt")
	printf '%-16s %10s req/s   non-2xx: %s   %s   memory after: %s\n' "$name" "$rps" \
		"${non2xx:-0}" "${errs:-socket errors: none}" "$(rss)"
}
run session.start /api_v3/service/session/action/start "$work/start.lua"
run category.get /api_v3/service/category/action/get "$work/get.lua"
# a last call checks the sandbox still answers correctly after the load
"$KTESTME" call --url "$url" --ks "$ks" category get id=1 >/dev/null &&
	echo "sandbox-load: still answering after the load" ||
	echo "sandbox-load: the sandbox no longer answers correctly"
