# --help, the man page and the README tell the same story.
MAN=$root/man/ktestme.1
check "top-level --help" 0 "$KTESTME" --help
expect_out '^Usage: ktestme'
# every exit code is in the man page's EXIT STATUS
codes=$(sed -n 's/^  *\([0-9][0-9]*\)  [a-z].*/\1/p' "$OUT")
[ "$(printf '%s\n' $codes | wc -l)" -ge 12 ] && pass || fail "--help lists no exit codes"
for n in $codes; do
	current="docs: exit code $n"
	sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN" | grep -qx "\.B $n" && pass ||
		fail "man page's EXIT STATUS lacks $n"
	grep -qE "(^|[ ,;])$n [a-z]" "$root/README.md" && pass || fail "README's exit status lacks $n"
done
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

# the man page's key list is the console's key table
current="docs: man page keys"
"$root/man/keys.sh" "$KTESTME" > "$SCRATCH/keys.roff" 2>/dev/null && pass || fail "man/keys.sh failed"
sed -n '/^\.\\" keys-begin/,/^\.\\" keys-end/p' "$MAN" | sed '1d;$d' > "$SCRATCH/keys.man"
[ -s "$SCRATCH/keys.roff" ] && cmp -s "$SCRATCH/keys.roff" "$SCRATCH/keys.man" && pass ||
	fail "man/ktestme.1's key list differs from 'ktestme keys' (run make man)"
check "keys" 0 "$KTESTME" keys
expect_out '^  F5, C-r +Send the request'
check "keys with an argument" 64 "$KTESTME" keys extra
expect_one_err_line
# without a terminal the console says so in one line
check "console without a terminal" 64 bash -c '"$0" </dev/null' "$KTESTME"
expect_one_err_line
expect_err 'needs a terminal'
check "console bad option" 64 "$KTESTME" --frobnicate
expect_one_err_line
check "console --help" 0 "$KTESTME" console --help
expect_out '^Usage: ktestme \[console\]'
