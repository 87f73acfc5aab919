#!/usr/bin/env bash
# The closing line of `make test`: the parts' "passed failed skipped" added up. Fails when a
# test failed or a part left no result, and, when CI is set, when anything was skipped.
set -u
dir=$1
shift
passed=0 failed=0 skipped=0 missing=""
for part in "$@"; do
	if read -r p f s 2>/dev/null <"$dir/$part"; then
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	else
		missing="$missing $part"
	fi
done
[ -n "$missing" ] && echo "no result from:$missing"
echo "$passed passed, $failed failed, $skipped skipped"
[ -z "$missing" ] && [ "$failed" = 0 ] || exit 1
if [ -n "${CI:-}" ] && [ "$skipped" != 0 ]; then
	echo "CI: $skipped skipped; every check must run"
	exit 1
fi
