#!/usr/bin/env bash
# Integration tests: the real ktestme binary against real HTTP peers on 127.0.0.1.
# Each tests/integration/*.sh (but this one) is sourced and uses:
#   check NAME EXPECTED_EXIT CMD...   run CMD; its stdout is in $OUT, its stderr in $ERR
#   expect_out PATTERN | expect_err PATTERN   grep -E on the last check's stdout / stderr
#   expect_no_out PATTERN | expect_no_err PATTERN   the pattern must not appear
# Variables: $KTESTME (binary), $TESTDATA (tests/data), $FIXTURE_URL (recorded-response server),
# $SCRATCH (a private temporary directory; HOME and XDG dirs point into it).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
KTESTME=$(cd "$(dirname "${KTESTME:-./ktestme}")" && pwd)/$(basename "${KTESTME:-./ktestme}")
BUILD=${BUILD:-build}
TESTDATA=$root/tests/data
SCRATCH=$(mktemp -d)
export HOME=$SCRATCH/home XDG_CACHE_HOME=$SCRATCH/cache XDG_CONFIG_HOME=$SCRATCH/config \
	XDG_DATA_HOME=$SCRATCH/data XDG_STATE_HOME=$SCRATCH/state TZ=UTC LC_ALL=C.UTF-8
mkdir -p "$HOME"
unset KALTURA_PARTNER_ID KALTURA_ADMIN_SECRET KALTURA_SERVICE_URL http_proxy https_proxy \
	HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

passed=0 failed=0 skipped=0 current=""
OUT=$SCRATCH/out ERR=$SCRATCH/err
fixture_pid=""

cleanup() {
	[ -n "$fixture_pid" ] && kill "$fixture_pid" 2>/dev/null && wait "$fixture_pid" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); }
# skip WHAT: a check that could not run, counted and named (CI fails on any)
skip() {
	skipped=$((skipped + 1))
	echo "SKIP: $*"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL: $current: $*"
	sed 's/^/  stdout: /' "$OUT" | head -5
	sed 's/^/  stderr: /' "$ERR" | head -5
}

check() {
	current=$1
	local want=$2
	shift 2
	"$@" >"$OUT" 2>"$ERR" </dev/null
	local got=$?
	if [ "$got" = "$want" ]; then pass; else fail "exit $got, wanted $want"; fi
}

# Like check, with standard input from the first argument (a string).
check_stdin() {
	current=$1
	local want=$2 input=$3
	shift 3
	printf '%s' "$input" | "$@" >"$OUT" 2>"$ERR"
	local got=$?
	if [ "$got" = "$want" ]; then pass; else fail "exit $got, wanted $want"; fi
}

expect_out() { if grep -qE -- "$1" "$OUT"; then pass; else fail "stdout lacks /$1/"; fi; }
expect_err() { if grep -qE -- "$1" "$ERR"; then pass; else fail "stderr lacks /$1/"; fi; }
expect_no_out() { if grep -qE -- "$1" "$OUT"; then fail "stdout has /$1/"; else pass; fi; }
expect_no_err() { if grep -qE -- "$1" "$ERR"; then fail "stderr has /$1/"; else pass; fi; }
# stderr must be exactly one line: every bad input gets one clear sentence (a warning about a
# secret on the command line is not part of it)
WARNING_RE='^ktestme [a-z -]+: warning: .* visible to other users'
expect_one_err_line() {
	local n
	n=$(grep -cvE "$WARNING_RE" "$ERR")
	if [ "$n" = 1 ]; then pass; else fail "stderr has $n lines, wanted 1"; fi
}

# sandbox_up NAME [ARGS...]: `ktestme sandbox --listen 127.0.0.1:0 ARGS` in the background,
# its output through a fifo (not a coproc: this script holds one for the fixture server);
# sets SANDBOX_URL from its first line. sandbox_down NAME stops it with SIGTERM and checks that
# it exits 0 with nothing on stderr.
declare -A sandbox_pid sandbox_fd
sandbox_up() {
	local name=$1 line="" fd
	shift
	mkfifo "$SCRATCH/$name.fifo"
	KTESTME_SCHEMA=$root/schemas/kaltura.xml "$KTESTME" sandbox --listen 127.0.0.1:0 "$@" \
		>"$SCRATCH/$name.fifo" 2>"$SCRATCH/$name.err" &
	sandbox_pid[$name]=$!
	exec {fd}<"$SCRATCH/$name.fifo"
	sandbox_fd[$name]=$fd
	read -r -t 10 line <&"$fd"
	current="$name: sandbox started"
	case "$line" in
	"sandbox: http://127.0.0.1:"*) pass ;;
	*) fail "first line: '$line'" ;;
	esac
	SANDBOX_URL=${line#sandbox: }
}
sandbox_down() {
	local name=$1 rc fd=${sandbox_fd[$1]}
	kill -TERM "${sandbox_pid[$name]}" 2>/dev/null
	wait "${sandbox_pid[$name]}"
	rc=$?
	exec {fd}<&-
	current="$name: sandbox exits 0 on SIGTERM"
	if [ "$rc" = 0 ]; then pass; else fail "exit $rc"; fi
	current="$name: sandbox stderr is empty"
	if ! grep -qvE "$WARNING_RE" "$SCRATCH/$name.err"; then pass; else fail "$(head -3 "$SCRATCH/$name.err")"; fi
}

# A port nothing listens on: bind one, note it, close it.
closed_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

if [ -x "$BUILD/fixture-server" ]; then
	coproc FIX { exec "$BUILD/fixture-server"; }
	fixture_pid=$FIX_PID
	read -r -t 10 _ port <&"${FIX[0]}"
	FIXTURE_URL=http://127.0.0.1:$port
fi

# INTEGRATION_ONLY=name runs one script (tests/integration/name.sh)
for t in "$here"/${INTEGRATION_ONLY:-*}.sh; do
	[ "$t" = "$here/run.sh" ] && continue
	# a script that does not parse would stop at its error unnoticed
	current="$(basename "$t") parses"
	if ! bash -n "$t"; then
		fail "syntax error"
		continue
	fi
	# shellcheck source=/dev/null
	. "$t"
done

echo "integration: $passed passed, $failed failed, $skipped skipped"
[ -n "${RESULTS:-}" ] && echo "$passed $failed $skipped" >"$RESULTS"
[ "$failed" = 0 ]
