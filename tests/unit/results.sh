#!/usr/bin/env bash
# Criterion's JSON report -> "passed failed skipped" on stdout (an errored test counts as
# failed), and the part's line "unit: N passed, N failed, N skipped" on stderr, naming each
# skipped test so a skip is never silent.
set -u
json=$1
[ -s "$json" ] || { echo "unit: no report in $json" >&2; echo "0 1 0"; exit 1; }
top() { sed -n "s/^  \"$1\": \\([0-9]*\\),\$/\\1/p" "$json" | head -1; }
passed=$(top passed) failed=$(top failed) errored=$(top errored) skipped=$(top skipped)
failed=$((${failed:-0} + ${errored:-0}))
# a skipped test: its name two lines above its "status": "SKIPPED"
grep -B3 '"status": "SKIPPED"' "$json" | sed -n 's/^ *"name": "\(.*\)",$/  skipped: \1/p' >&2
echo "unit: ${passed:-0} passed, $failed failed, ${skipped:-0} skipped" >&2
echo "${passed:-0} $failed ${skipped:-0}"
