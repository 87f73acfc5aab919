# make install honours PREFIX and DESTDIR; the installed binary finds its man page and schema.
dest=$SCRATCH/destdir
check "make install" 0 make -s --no-print-directory -C "$root" -o "$KTESTME" install BIN="$KTESTME" BUILD="$BUILD" \
	DESTDIR="$dest" PREFIX=/opt/kt
for f in bin/ktestme share/man/man1/ktestme.1 share/ktestme/kaltura.xml \
	share/bash-completion/completions/ktestme share/zsh/site-functions/_ktestme; do
	current="installed $f"
	[ -f "$dest/opt/kt/$f" ] && pass || fail "missing $dest/opt/kt/$f"
done
check "installed binary runs" 0 "$dest/opt/kt/bin/ktestme" --version
check "make uninstall" 0 make -s --no-print-directory -C "$root" -o "$KTESTME" uninstall BIN="$KTESTME" BUILD="$BUILD" \
	DESTDIR="$dest" PREFIX=/opt/kt
current="uninstall removes the binary"
[ ! -e "$dest/opt/kt/bin/ktestme" ] && pass || fail "binary still there"
current="uninstall removes the completion"
[ ! -e "$dest/opt/kt/share/bash-completion/completions/ktestme" ] && pass || fail "still there"
