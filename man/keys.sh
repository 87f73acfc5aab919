#!/bin/sh
# Prints the man page's key list from `ktestme keys`, the table the console binds.
# Usage: man/keys.sh KTESTME  (tests/integration/docs.sh compares it with man/ktestme.1;
# `make man` writes it there)
set -e
"$1" keys | awk '
	/^[^ ].*:$/ { sub(/:$/, ""); printf ".SS %s\n", $0; next }
	/^  / {
		line = substr($0, 3)
		keys = substr(line, 1, 16); help = substr(line, 18)
		sub(/ +$/, "", keys)
		gsub(/-/, "\\-", keys); gsub(/-/, "\\-", help)
		printf ".TP\n.B \"%s\"\n%s\n", keys, help
	}'
