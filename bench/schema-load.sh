#!/usr/bin/env bash
# Loading the full API schema: `ktestme schema stats` against `xmllint --noout` on the same file,
# run alternately N times each; prints the median wall time, the median peak RSS and the ratios.
# Not part of `make test`: timings depend on the machine, so only the ratio means something.
#
#   bench/schema-load.sh [N]          (default N=21)
#   KTESTME=path/to/ktestme SCHEMA=file.xml bench/schema-load.sh
#
# Needs: bash 5 ($EPOCHREALTIME), xmllint (Debian package libxml2-utils), GNU time as
# /usr/bin/time (Debian package time), and a built ktestme (make).
set -u
cd "$(dirname "$0")/.." || exit 1

N=${1:-${N:-21}}
KTESTME=${KTESTME:-./ktestme}
SCHEMA=${SCHEMA:-../shared/schemas/kaltura-api-22.19.0.xml}
TIME=/usr/bin/time

missing=""
[ -n "${EPOCHREALTIME:-}" ] || missing="$missing bash>=5"
command -v xmllint >/dev/null || missing="$missing xmllint(libxml2-utils)"
command -v "$TIME" >/dev/null || missing="$missing /usr/bin/time(time)"
[ -x "$KTESTME" ] || missing="$missing $KTESTME(make)"
[ -r "$SCHEMA" ] || missing="$missing $SCHEMA"
if [ -n "$missing" ]; then
	echo "schema-load: missing:$missing" >&2
	echo "schema-load: e.g. apt-get install libxml2-utils time; make" >&2
	exit 1
fi
case $N in '' | *[!0-9]* | 0) echo "schema-load: N must be a positive number, not '$N'" >&2; exit 1 ;; esac

# Check once that both succeed, and that ktestme reads the file correctly.
if ! xmllint --noout "$SCHEMA" 2>/dev/null; then
	echo "schema-load: xmllint cannot parse $SCHEMA" >&2
	exit 1
fi
if ! "$KTESTME" schema stats --schema "$SCHEMA" >/dev/null; then
	echo "schema-load: ktestme cannot load $SCHEMA" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run NAME CMD...: one timed run; appends microseconds to NAME.time and KB to NAME.rss
run() {
	local name=$1
	shift
	local t0=${EPOCHREALTIME/[.,]/} t1
	"$TIME" -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1
	t1=${EPOCHREALTIME/[.,]/}
	echo $((t1 - t0)) >>"$tmp/$name.time"
	tail -n 1 "$tmp/rss" >>"$tmp/$name.rss"
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# one warm-up each, so the file is in the page cache for both
run warm xmllint --noout "$SCHEMA"
run warm "$KTESTME" schema stats --schema "$SCHEMA"
for _ in $(seq "$N"); do
	run xmllint xmllint --noout "$SCHEMA"
	run ktestme "$KTESTME" schema stats --schema "$SCHEMA"
done

xt=$(median "$tmp/xmllint.time") kt=$(median "$tmp/ktestme.time")
xr=$(median "$tmp/xmllint.rss") kr=$(median "$tmp/ktestme.rss")
size=$(wc -c <"$SCHEMA")
echo "schema-load: $SCHEMA ($size bytes), $N runs each, alternating"
awk -v xt="$xt" -v kt="$kt" -v xr="$xr" -v kr="$kr" 'BEGIN {
	printf "%-26s %12s %12s\n", "", "median wall", "peak RSS"
	printf "%-26s %9.1f ms %9.1f MB\n", "xmllint --noout", xt / 1000, xr / 1024
	printf "%-26s %9.1f ms %9.1f MB\n", "ktestme schema stats", kt / 1000, kr / 1024
	printf "ratio ktestme/xmllint: time %.2f, memory %.2f\n", kt / xt, kr / xr
}'
