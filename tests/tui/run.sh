#!/usr/bin/env bash
# The console driven in tmux (pinned 100x30, TERM, LANG, TZ, a private HOME), against the
# sandbox it embeds. Each step sends keys and polls the screen for the expected text with a
# timeout; nothing sleeps a fixed time. Usage: tests/tui/run.sh [KTESTME]
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
KTESTME=$(cd "$(dirname "${1:-$root/ktestme}")" && pwd)/$(basename "${1:-$root/ktestme}")
if ! command -v tmux >/dev/null; then
	echo "tui: tmux is missing (make deps installs it)" >&2
	[ -n "${RESULTS:-}" ] && echo "0 1 0" >"$RESULTS"
	exit 1
fi
# the screen holds UTF-8 (•, │): grep reads it as such whatever the caller's locale
export LC_ALL=C.UTF-8
unset LANG LANGUAGE
SCRATCH=$(mktemp -d)
SOCK="ktestme-tui-$$"
TMUX_CMD=(tmux -L "$SOCK" -f /dev/null)
passed=0 failed=0 skipped=0 current=""
# each start gets a session of its own name, so a session that is still going away never
# answers for the next one
TUI=tui0 starts=0
cleanup() {
	"${TMUX_CMD[@]}" kill-server 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

pass() { passed=$((passed + 1)); }
# skip WHAT: a check that could not run, counted and named (CI fails on any)
skip() {
	skipped=$((skipped + 1))
	echo "SKIP: $*" >&2
}
fail() {
	failed=$((failed + 1))
	echo "FAIL: $current: $*" >&2
	echo "----- screen -----" >&2
	screen >&2
	echo "------------------" >&2
}
screen() { "${TMUX_CMD[@]}" capture-pane -p -t "$TUI" 2>/dev/null; }
keys() { "${TMUX_CMD[@]}" send-keys -t "$TUI" "$@"; }
# Types text literally (letters are text in fields and filters).
type_text() { "${TMUX_CMD[@]}" send-keys -t "$TUI" -l "$1"; }

# click COL ROW (0-based): a left-button press and release, as an xterm reports them (X10
# encoding, the kmous of tmux-256color).
click() {
	local press release
	press=$(printf '\e[M%b%b%b' "\\x20" "\\x$(printf %x $((33 + $1)))" "\\x$(printf %x $((33 + $2)))")
	release=$(printf '\e[M%b%b%b' "\\x23" "\\x$(printf %x $((33 + $1)))" "\\x$(printf %x $((33 + $2)))")
	"${TMUX_CMD[@]}" send-keys -t "$TUI" -l "$press$release"
}

# wait_for REGEX [SECONDS]: polls the screen until a line matches.
wait_for() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qE -- "$re" && return 0
		sleep 0.05
	done
	return 1
}
# wait_gone REGEX [SECONDS]: polls until no line matches.
wait_gone() {
	local re=$1 limit=${2:-10} i
	for ((i = 0; i < limit * 20; i++)); do
		screen | grep -qE -- "$re" || return 0
		sleep 0.05
	done
	return 1
}
expect() { # expect "what" REGEX [SECONDS]
	current=$1
	wait_for "$2" "${3:-10}" && pass || fail "no line matches /$2/"
}
expect_not() {
	current=$1
	wait_gone "$2" "${3:-10}" && pass || fail "a line still matches /$2/"
}

# A port nothing listens on: bind one, note it, close it (python3: make deps installs it).
closed_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start [ARGS...]: the console in a fresh tmux session of 100x30.
start() {
	local old=$TUI
	starts=$((starts + 1))
	TUI=tui$starts
	mkdir -p "$SCRATCH/home"
	local cmd
	cmd="env -i PATH=/usr/bin:/bin HOME=$SCRATCH/home XDG_CACHE_HOME=$SCRATCH/home/.cache"
	cmd+=" XDG_CONFIG_HOME=$SCRATCH/home/.config TERM=tmux-256color LANG=C.UTF-8 TZ=UTC"
	cmd+=" ${KTESTME_ENV:-} $(printf '%q ' "$KTESTME" "$@"); echo EXITED=\$?; sleep 600"
	"${TMUX_CMD[@]}" new-session -d -s "$TUI" -x 100 -y 30 -c "$SCRATCH/home" "$cmd"
	# the old session goes after the new one exists: killing the last session stops the
	# server, and a new-session racing that stop fails
	"${TMUX_CMD[@]}" kill-session -t "$old" 2>/dev/null
	# OSC 52 from the console lands in a tmux buffer; none is left from an earlier start
	"${TMUX_CMD[@]}" set-option -s set-clipboard on
	while "${TMUX_CMD[@]}" delete-buffer 2>/dev/null; do :; done
}

# opened [ARGS...]: start, wait for the welcome panel and close it.
opened() {
	start "$@"
	expect "welcome" 'Welcome to ktestme'
	keys Enter
}

# open_action SERVICE ACTION: from the service list, as a user types it.
open_action() {
	type_text "$1"
	keys Enter
	type_text "$2"
	keys Enter
	expect "$1.$2 form" "Parameters: $1\\.$2"
}

# The recorded-response server (tests/fixture) for what the sandbox never does: answer slowly,
# answer HTML, and record what was sent to which endpoint ($FIXTURE_URL/a, /b ... are endpoints
# of their own; sent PREFIX greps the requests that went there). Optional: those steps skip
# without it.
FIXTURE_URL=""
SENT="$SCRATCH/requests"
# sent PREFIX: the requests recorded for the endpoint $FIXTURE_URL/PREFIX, one "PATH BODY" a line
# (the fixture logs "HOST PATH BODY" to $FIXTURE_LOG)
sent() { grep -E "^[^ ]+ /$1/" "$SENT" 2>/dev/null | cut -d' ' -f2-; }
# wait_sent PREFIX REGEX: polls the record until a request to that endpoint matches.
wait_sent() {
	local i
	for ((i = 0; i < 200; i++)); do
		sent "$1" | grep -qE -- "$2" && return 0
		sleep 0.05
	done
	return 1
}
if [ -n "${FIXTURE_SERVER:-}" ] && [ -x "$FIXTURE_SERVER" ]; then
	: > "$SCRATCH/fixture.out"
	: > "$SENT"
	FIXTURE_LOG="$SENT" "$FIXTURE_SERVER" > "$SCRATCH/fixture.out" 2>/dev/null &
	fixture_pid=$!
	trap 'kill $fixture_pid 2>/dev/null; cleanup' EXIT
	for ((i = 0; i < 200; i++)); do
		read -r _ port < "$SCRATCH/fixture.out" 2>/dev/null && [ -n "$port" ] && break
		sleep 0.05
	done
	[ -n "${port:-}" ] && FIXTURE_URL=http://127.0.0.1:$port
fi

# TUI_ONLY=t_name runs one script
for t in "$root"/tests/tui/${TUI_ONLY:-t_*}.sh; do
	# a script that does not parse would stop at its error unnoticed
	current="$(basename "$t") parses"
	if ! bash -n "$t"; then
		fail "syntax error"
		continue
	fi
	# shellcheck source=/dev/null
	. "$t"
done

echo "tui: $passed passed, $failed failed, $skipped skipped"
[ -n "${RESULTS:-}" ] && echo "$passed $failed $skipped" >"$RESULTS"
[ "$failed" -eq 0 ]
