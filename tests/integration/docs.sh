# --help, the man page and the README tell the same story.
MAN=$root/man/ktestme.1
check "top-level --help" 0 "$KTESTME" --help
expect_out '^Usage: ktestme'
cmds=$(awk '/^Commands:/{on=1;next} on&&/^  [a-z]/{print $1} on&&/^$/{on=0}' "$OUT")
[ -n "$cmds" ] && pass || fail "no commands in --help"
for c in $cmds; do
	current="docs: $c"
	grep -q "^\.SS $c" "$MAN" && pass || fail "man page has no section for '$c'"
	grep -q "ktestme $c" "$root/README.md" && pass || fail "README does not show 'ktestme $c'"
	check "$c --help" 0 "$KTESTME" "$c" --help
	# every long option in a command's --help is in the man page
	for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' "$OUT" | sort -u); do
		current="docs: $c $opt"
		grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$MAN" && pass ||
			fail "man page lacks $opt of '$c'"
	done
done
check "--version" 0 "$KTESTME" --version
expect_out '^ktestme [0-9]+\.[0-9]+\.[0-9]+$'
check "unknown command" 64 "$KTESTME" frobnicate
expect_one_err_line
