#!/usr/bin/env bash
# `make bench`: every comparison of issue 14 against its peer, in one run on this machine, and
# bench/results.md with peer, ktestme, ratio, target and whether it is met. Not part of
# `make test`: only the ratios mean something, and only on a quiet machine.
#
#   bench/run.sh            (RUNS=N runs per process row, default 15; ENTRIES=N list size)
#
# Installs what it lacks through apt-get (hyperfine, wrk, jq, xmllint, less, tmux, php,
# python3 with the Python client's modules, node and npm, GNU time) and Kaltura's Node.js
# client through npm into a scratch directory; the PHP and Python clients come from
# ../shared/clients. A row whose tool cannot be had says so instead of a number.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
KTESTME=${KTESTME:-$ROOT/ktestme}
RUNS=${RUNS:-15}
ENTRIES=${ENTRIES:-28500}
SCHEMA=${SCHEMA:-$ROOT/../shared/schemas/kaltura-api-22.19.0.xml}
CLIENTS=${CLIENTS:-$ROOT/../shared/clients}
OUT=$ROOT/bench/results.md
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

[ -x "$KTESTME" ] || { echo "bench: build ktestme first (make)" >&2; exit 1; }

# ---- what the comparisons need ----
need=""
for t in hyperfine:hyperfine wrk:wrk jq:jq xmllint:libxml2-utils less:less tmux:tmux \
	php:php-cli node:nodejs npm:npm curl:curl; do
	command -v "${t%%:*}" >/dev/null || need="$need ${t#*:}"
done
[ -x /usr/bin/time ] || need="$need time"
[ -x /usr/bin/python3 ] || need="$need python3"
/usr/bin/python3 -c 'import requests, requests_toolbelt, six, lxml' 2>/dev/null ||
	need="$need python3-requests python3-requests-toolbelt python3-six python3-lxml"
php -m 2>/dev/null | grep -qx curl || need="$need php-curl"
php -m 2>/dev/null | grep -qx SimpleXML || need="$need php-xml"
if [ -n "$need" ]; then
	echo "bench: installing$need"
	$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $need >/dev/null || echo "bench: some tools could not be installed"
fi

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "${tmsock:-}" ] && tmux -L "$tmsock" kill-server 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$work/cache HOME=$work/home
mkdir -p "$HOME"

rows=()
# row NAME PEER_DESC PEER KTESTME_VALUE UNIT TARGET_RATIO [NOTE]: ratio = ktestme / peer
row() {
	local name=$1 peer_desc=$2 peer=$3 kt=$4 unit=$5 target=$6 note=${7:-}
	local ratio met
	if [ -z "$peer" ] || [ -z "$kt" ]; then
		rows+=("| $name | $peer_desc | ${peer:--} | ${kt:--} | - | $target | not measured${note:+: $note} |")
		return
	fi
	ratio=$(awk -v a="$kt" -v b="$peer" 'BEGIN { printf("%.2f", b > 0 ? a / b : 0) }')
	met=$(awk -v r="$ratio" -v t="${target#<= }" 'BEGIN { print (r + 0 <= t + 0) ? "met" : "NOT met" }')
	rows+=("| $name | $peer_desc | $peer $unit | $kt $unit | $ratio | $target | $met${note:+ ($note)} |")
}
# absolute NAME VALUE UNIT TARGET_MAX [NOTE]
absolute() {
	local name=$1 v=$2 unit=$3 target=$4 note=${5:-} met
	if [ -z "$v" ]; then
		rows+=("| $name | - | - | - | - | $target $unit | not measured${note:+: $note} |")
		return
	fi
	met=$(awk -v v="$v" -v t="$target" 'BEGIN { print (v + 0 <= t + 0) ? "met" : "NOT met" }')
	rows+=("| $name | - | - | $v $unit | - | <= $target $unit | $met${note:+ ($note)} |")
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_ms CMD...: median wall milliseconds of RUNS runs (hyperfine when present)
time_ms() {
	if command -v hyperfine >/dev/null; then
		hyperfine -N -w 2 -r "$RUNS" --export-json "$work/h.json" "$(printf '%q ' "$@")" \
			>/dev/null 2>&1 || { echo ""; return; }
		jq -r '.results[0].median * 1000 | . * 100 | round / 100' "$work/h.json"
	else
		local i t0 t1
		for i in $(seq "$RUNS"); do
			t0=${EPOCHREALTIME/[.,]/}
			"$@" >/dev/null 2>&1
			t1=${EPOCHREALTIME/[.,]/}
			echo $((t1 - t0))
		done | median | awk '{ printf "%.2f", $1 / 1000 }'
	fi
}

# pair_ms FUNC_A FUNC_B: median wall milliseconds of RUNS runs of each, one of each in turn
# (after two warm-ups), printed as "A B"
pair_ms() {
	local i t0 t1
	for i in 1 2; do "$1" >/dev/null 2>&1; "$2" >/dev/null 2>&1; done
	: >"$work/pair.a"
	: >"$work/pair.b"
	for i in $(seq "$RUNS"); do
		t0=${EPOCHREALTIME/[.,]/}
		"$1" >/dev/null 2>&1
		t1=${EPOCHREALTIME/[.,]/}
		echo $((t1 - t0)) >>"$work/pair.a"
		t0=${EPOCHREALTIME/[.,]/}
		"$2" >/dev/null 2>&1
		t1=${EPOCHREALTIME/[.,]/}
		echo $((t1 - t0)) >>"$work/pair.b"
	done
	echo "$(median <"$work/pair.a" | awk '{ printf "%.2f", $1 / 1000 }')" \
		"$(median <"$work/pair.b" | awk '{ printf "%.2f", $1 / 1000 }')"
}

# shell_ms 'PIPELINE': the same for a shell pipeline
shell_ms() {
	local i t0 t1
	for i in $(seq "$1"); do
		t0=${EPOCHREALTIME/[.,]/}
		bash -c "$2" >/dev/null 2>&1
		t1=${EPOCHREALTIME/[.,]/}
		echo $((t1 - t0))
	done | median | awk '{ printf "%.0f", $1 / 1000 }'
}

# rss_mb CMD...: peak resident memory of one run
rss_mb() {
	/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1
	awk '{ printf "%.0f", $1 / 1024 }' "$work/rss"
}

# ---- the sandbox: the peer server for the session rows ----
KTESTME_SANDBOX_ADMIN_SECRET=bench-admin KTESTME_SANDBOX_USER_SECRET=bench-user \
	"$KTESTME" sandbox --listen 127.0.0.1:0 --partner-id 100 >"$work/sandbox.out" 2>&1 </dev/null &
pids+=($!)
for _ in $(seq 100); do
	url=$(sed -n 's/^sandbox: //p' "$work/sandbox.out")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "${url:-}" ] || { echo "bench: the sandbox did not start" >&2; exit 1; }
echo "bench: sandbox at $url"

echo "bench: 1. session.start" >&2
# 1. session.start: ktestme call against curl doing the same POST
"$KTESTME" schema stats >/dev/null # the shipped schema's image, as after any first run
start_body="secret=bench-admin&partnerId=100&type=2&format=2"
curl_start() { curl -s -o /dev/null -d "$start_body" "$url/api_v3/service/session/action/start"; }
kt_start() { KALTURA_ADMIN_SECRET=bench-admin "$KTESTME" call --url "$url" session start \
	partnerId=100 type=2; }
# one run of each in turn, so that a busy moment of the machine falls on both
read -r curl_ms kt_ms < <(pair_ms curl_start kt_start)
row "call session start" "curl -s, the same POST" "$curl_ms" "$kt_ms" ms "<= 1.2" \
	"runs alternated"

echo "bench: 2. the same through" >&2
# 2. the same through Kaltura's clients
cat >"$work/start.js" <<EOF
const k = require('kaltura-client');
const c = new k.Client(Object.assign(new k.Configuration(), { serviceUrl: '$url' }));
k.services.session.start('bench-admin', 'bench', 2, 100).execute(c)
  .then(ks => { if (!ks) process.exit(1); }, () => process.exit(1));
EOF
mkdir -p "$work/npm"
if (cd "$work/npm" && npm install --silent --no-audit --no-fund kaltura-client >/dev/null 2>&1); then
	node_ms=$(NODE_PATH=$work/npm/node_modules time_ms node "$work/start.js")
	row "session start: ktestme vs Node.js client" "node kaltura-client" "$node_ms" "$kt_ms" ms "<= 1"
else
	row "session start: ktestme vs Node.js client" "node kaltura-client" "" "" ms "<= 1" "npm install failed"
fi
# As tests/integration/interop_clients.sh runs it: the client's own format (3, PHP serialized;
# it reads only that and JSON: with format 2, XML, it throws "unsupported format" on any
# answer), a configuration without arguments, and no deprecation notices from PHP 8.
cat >"$work/start.php" <<EOF
<?php
error_reporting(E_ALL & ~E_DEPRECATED);
require '$CLIENTS/php/KalturaClient.php';
\$cfg = new KalturaConfiguration();
\$cfg->serviceUrl = '$url';
\$c = new KalturaClient(\$cfg);
\$ks = \$c->session->start('bench-admin', 'bench', KalturaSessionType::ADMIN, 100);
exit(\$ks ? 0 : 1);
EOF
if command -v php >/dev/null && php "$work/start.php" >/dev/null 2>"$work/php.err"; then
	php_ms=$(time_ms php "$work/start.php")
	row "session start: ktestme vs PHP client" "php KalturaClient" "$php_ms" "$kt_ms" ms "<= 1"
else
	row "session start: ktestme vs PHP client" "php KalturaClient" "" "" ms "<= 1" \
		"php or the client failed: $(grep -m1 . "$work/php.err" 2>/dev/null | cut -c1-120 | tr '|' '/')"
fi
cat >"$work/start.py" <<EOF
import sys
sys.path.insert(0, '$CLIENTS/python')
from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.Plugins.Core import KalturaSessionType
c = KalturaClient(KalturaConfiguration(serviceUrl='$url'))
sys.exit(0 if c.session.start('bench-admin', 'bench', KalturaSessionType.ADMIN, 100) else 1)
EOF
if /usr/bin/python3 "$work/start.py" >/dev/null 2>&1; then
	py_ms=$(time_ms /usr/bin/python3 "$work/start.py")
	row "session start: ktestme vs Python client" "python KalturaClient" "$py_ms" "$kt_ms" ms "<= 1"
else
	row "session start: ktestme vs Python client" "python KalturaClient" "" "" ms "<= 1" "python or the client failed"
fi

echo "bench: 3. the full schema" >&2
# 3. the full schema: ready from its compiled image, against xmllint reading it
if [ -r "$SCHEMA" ]; then
	"$KTESTME" schema stats --schema "$SCHEMA" >/dev/null # writes the image
	floor_ms=$(time_ms "$KTESTME" regions)
	schema_ms=$(time_ms "$KTESTME" schema stats --schema "$SCHEMA")
	parse_ms=$(KTESTME_NO_SCHEMA_CACHE=1 time_ms "$KTESTME" schema stats --schema "$SCHEMA")
	xl_ms=$(time_ms xmllint --noout "$SCHEMA")
	xs_ms=$(time_ms xmllint --stream --noout "$SCHEMA")
	row "full schema (22.19.0) vs xmllint --noout" "xmllint --noout" "$xl_ms" "$schema_ms" ms "<= 1"
	row "full schema (22.19.0) vs xmllint --stream --noout" "xmllint --stream" "$xs_ms" "$schema_ms" ms "<= 1"
	ready=$(awk -v a="$schema_ms" -v b="$floor_ms" 'BEGIN { printf "%.2f", a - b }')
	# in the process: what `schema stats -v` says the load took (the file's record, the
	# image mapped and its checksum), the median of RUNS runs
	inproc=$(for _ in $(seq "$RUNS"); do "$KTESTME" schema stats -v --schema "$SCHEMA" 2>&1 >/dev/null |
		sed -n 's/^ktestme: schema ready in \([0-9.]*\) ms (mapped.*/\1/p'; done | median)
	absolute "full schema ready, in the process (schema stats -v)" "$inproc" ms 2 \
		"whole process less ktestme regions: $ready ms; parsed without the image: $parse_ms ms"
else
	row "full schema (22.19.0) vs xmllint --noout" "xmllint --noout" "" "" ms "<= 1" "no $SCHEMA"
fi

echo "bench: 4. the console" >&2
# 4. the console's first full screen under tmux, against tmux running a trivial program
# A tmux server of its own for every session (-f /dev/null: no user configuration): a new
# session on the socket of a server still going away after kill-server fails with "server
# exited unexpectedly" on a loaded machine.
tmn=0 tmsock=""
tm() { tmux -L "$tmsock" -f /dev/null "$@"; }
fresh_tmux() {
	[ -n "$tmsock" ] && tm kill-server 2>/dev/null
	tmn=$((tmn + 1))
	tmsock=ktbench-$BASHPID-$tmn
}
first_screen_us() { # CMD MARKER: microseconds from launch to MARKER on screen, one run
	local t0 t1
	fresh_tmux
	t0=${EPOCHREALTIME/[.,]/}
	tm new-session -d -x 100 -y 30 -s b "$1"
	until tm capture-pane -p -t b 2>/dev/null | grep -q "$2"; do
		t1=${EPOCHREALTIME/[.,]/}
		[ $((t1 - t0)) -lt 10000000 ] || { echo "bench: '$2' never came" >&2; break; }
	done
	t1=${EPOCHREALTIME/[.,]/}
	echo $((t1 - t0))
	fresh_tmux
}
if command -v tmux >/dev/null && [ -r "$SCHEMA" ]; then
	# the floor and the console in turn, RUNS of each
	: >"$work/floor"
	: >"$work/console"
	for _ in $(seq "$RUNS"); do
		first_screen_us "printf 'ready\n'; sleep 10" ready >>"$work/floor"
		first_screen_us "env TERM=tmux-256color $KTESTME console --url $url --schema $SCHEMA" \
			"Services" >>"$work/console"
	done
	floor=$(median <"$work/floor" | awk '{ printf "%.1f", $1 / 1000 }')
	console=$(median <"$work/console" | awk '{ printf "%.1f", $1 / 1000 }')
	d=$(awk -v a="$console" -v b="$floor" 'BEGIN { printf "%.1f", a - b }')
	absolute "console: launch to first full screen, full schema (less the tmux floor of $floor ms)" \
		"$d" ms 20 "whole: $console ms"
else
	absolute "console: launch to first full screen, full schema" "" ms 20 "no tmux or schema"
fi

echo "bench: 5-6. big results" >&2
# 5-6. big results: the same bytes from one loopback server to ktestme and to the pipelines
python3 bench/gen-list.py xml "$ENTRIES" "$work/list.xml"
python3 bench/gen-list.py json "$ENTRIES" "$work/list.json"
xml_mb=$(awk -v s="$(wc -c <"$work/list.xml")" 'BEGIN { printf "%.0f", s / 1e6 }')
json_mb=$(awk -v s="$(wc -c <"$work/list.json")" 'BEGIN { printf "%.0f", s / 1e6 }')
BENCH_FIRST_BYTE=$work/first-byte python3 bench/serve.py "$work/list.xml" "$work/list.json" \
	>"$work/serve.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
	port=$(sed -n 's/^port //p' "$work/serve.out")
	[ -n "$port" ] && break
	sleep 0.1
done
big=http://127.0.0.1:$port
list=$big/api_v3/service/media/action/list
BIGRUNS=$(( RUNS > 5 ? 5 : RUNS ))
kx=$(shell_ms "$BIGRUNS" "'$KTESTME' call --url $big --max-size 1G media list")
px=$(shell_ms "$BIGRUNS" "curl -s -d format=2 $list | xmllint --format -")
row "$xml_mb MB XML media.list: call vs curl \\| xmllint --format -" "curl \\| xmllint --format -" \
	"$px" "$kx" ms "<= 1"
kxm=$(rss_mb "$KTESTME" call --url "$big" --max-size 1G media list)
curl -s -d format=2 "$list" -o "$work/got.xml"
pxm=$(rss_mb xmllint --format "$work/got.xml")
row "$xml_mb MB XML: peak memory" "xmllint --format" "$pxm" "$kxm" MiB "<= 0.5"
kj=$(shell_ms "$BIGRUNS" "'$KTESTME' call --url $big --format json --max-size 1G media list")
pj=$(shell_ms "$BIGRUNS" "curl -s -d format=1 $list | jq .")
row "$json_mb MB JSON: call vs curl \\| jq ." "curl \\| jq ." "$pj" "$kj" ms "<= 1"
kjm=$(rss_mb "$KTESTME" call --url "$big" --format json --max-size 1G media list)
pjm=$(rss_mb jq . "$work/list.json")
row "$json_mb MB JSON: peak memory" "jq ." "$pjm" "$kjm" MiB "<= 1"

# 7-8. the console on the big result: F5 to its first page, and its memory, against less
# showing the first page of curl | xmllint --format -
wait_screen() { # MARKER [SECONDS]: until MARKER is on screen
	local t0=${EPOCHREALTIME/[.,]/} t1
	until tm capture-pane -p -t b 2>/dev/null | grep -q "$1"; do
		t1=${EPOCHREALTIME/[.,]/}
		[ $((t1 - t0)) -lt $((${2:-30} * 1000000)) ] || { echo "bench: '$1' never came" >&2; return 1; }
	done
}
proc_mb() { awk -v k="$2:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
page_ms="" page_fb_ms="" page_peer="" con_rss="" con_hwm="" less_rss=""
if command -v tmux >/dev/null && command -v less >/dev/null; then
	fresh_tmux
	tm new-session -d -x 100 -y 30 -s b "env TERM=tmux-256color $KTESTME console --url $big --max-size 1G"
	if wait_screen 'Services' 10; then
		tm send-keys -t b m e d i a
		wait_screen '>media' 10 && tm send-keys -t b Enter
		sleep 0.3
		tm send-keys -t b l i s t
		if wait_screen 'Parameters: media.list' 10; then
			: >"$work/first-byte"
			t0=${EPOCHREALTIME/[.,]/}
			tm send-keys -t b F5
			if wait_screen '<objectType>KalturaMediaEntry</objectType>' 60; then
				t1=${EPOCHREALTIME/[.,]/}
				page_ms=$(( (t1 - t0) / 1000 ))
				# from the first byte of the answer, as the server wrote it down
				fb=$(tail -1 "$work/first-byte" | tr -d .)
				[ -n "$fb" ] && page_fb_ms=$(( (t1 - fb) / 1000 ))
			fi
			wait_screen 'media.list: done in' 120
			cpid=$(pgrep -f -n "ktestme console --url $big")
			con_rss=$(proc_mb "$cpid" VmRSS) con_hwm=$(proc_mb "$cpid" VmHWM)
		fi
	fi
	fresh_tmux
	t0=${EPOCHREALTIME/[.,]/}
	tm new-session -d -x 100 -y 30 -s b "curl -s -d format=2 $list | xmllint --format - | less"
	wait_screen 'KalturaMediaEntry' 120 && page_peer=$(( (${EPOCHREALTIME/[.,]/} - t0) / 1000 ))
	lpid=$(pgrep -n -x less)
	tm send-keys -t b G # less reads it all, as the console holds it all
	wait_screen 'totalCount' 120
	less_rss=$(proc_mb "$lpid" VmRSS)
	fresh_tmux
fi
row "console: F5 to the first page, $xml_mb MB XML" "curl \\| xmllint --format - \\| less" \
	"$page_peer" "$page_ms" ms "<= 1"
absolute "console: the answer's first byte to the first page, $xml_mb MB XML" "$page_fb_ms" ms 200 \
	"F5 to the first page: ${page_ms:-?} ms"
absolute "console: peak memory for that result (3x the body at most; less, all read: ${less_rss:-?} MiB)" \
	"$con_hwm" MiB $((3 * xml_mb)) "resident after: ${con_rss:-?} MiB"

echo "bench: 9. the sandbox" >&2
# 9. the sandbox under load
if command -v wrk >/dev/null; then
	cat >"$work/start.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "secret=bench-admin&partnerId=100&type=2&userId=bench"
LUA
	wrk -t2 -c64 -d10s --latency -s "$work/start.lua" "$url/api_v3/service/session/action/start" \
		>"$work/wrk.txt" 2>&1
	rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.txt")
	p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
	rows+=("| sandbox session.start under wrk, 64 connections | - | - | $rps req/s, p99 $p99 | - | - | informational |")
fi

{
	echo "# make bench: results"
	echo
	echo "Machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo),"
	echo "$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) memory, $(uname -sr)."
	echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). $("$KTESTME" --version 2>/dev/null | head -1), git $(git rev-parse --short HEAD 2>/dev/null)."
	echo "Load average at the start: $load_start; when done: $(cut -d' ' -f1-3 /proc/loadavg). Medians of $RUNS runs ($BIGRUNS for big results)."
	if awk -v l="$load_start" -v n="$(nproc)" 'BEGIN { exit !(l + 0 >= n / 2) }'; then
		echo
		echo "The machine was shared and loaded while this ran (other builds and test suites on"
		echo "the same CPUs): whole-process times carry their waits; the ratios and the"
		echo "in-process figures mean more than the milliseconds."
	fi
	echo
	echo "Ratio is ktestme over the peer (below 1: ktestme is faster or smaller)."
	echo
	echo "| comparison | peer | peer | ktestme | ratio | target | |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s\n' "${rows[@]}"
} >"$OUT"
cat "$OUT"
