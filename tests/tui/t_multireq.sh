# The multirequest builder, at 100x30 and at 80x24: multirequest atop the service list; request
# 1 session.start (ADMIN, the sandbox's secret prefilled), request 2 category.list with
# ks={1:result} picked from the reference picker (not typed); F5 answers both. A third,
# failing request shows its error while the others show their results; moving a request
# renumbers the references, removing one renumbers the list; a missing mandatory parameter is
# refused naming its request. The history keeps it with no secret and no KS, and restores the
# builder, in the run and after a restart. F2 to another endpoint: the builder's secret (the
# sandbox's, prefilled) is not sent there.
mr_flow() {
	local size=$1 state=$SCRATCH/home/.local/state/ktestme
	rm -rf "$SCRATCH/home/.local/state"
	opened
	[ "$size" = 80x24 ] && "${TMUX_CMD[@]}" resize-window -t "$TUI" -x 80 -y 24
	type_text "multi"
	keys Enter
	expect "mr $size: the builder" 'multirequest: 0 items \(F5 sends them\)'
	expect "mr $size: the status line says so" '^multirequest: 0 items +F1 Help'
	expect "mr $size: the service list's first" '^>multirequest'
	keys a
	expect "mr $size: the action chooser" 'Add a request: its service\.action'
	type_text "session.start"
	keys Enter
	expect "mr $size: request 1 open" '1\. session\.start \(Esc'
	keys F3 F6 # shown, and zoomed to read it whole at 80 columns
	expect "mr $size: the secret prefilled" 'secret \(string\) +[0-9a-f]{32}'
	local secret
	secret=$(screen | grep -oE 'secret \(string\) +[0-9a-f]{32}' | grep -oE '[0-9a-f]{32}$' | head -1)
	keys F6 F3 Down Down Right
	expect "mr $size: ADMIN" 'type \(KalturaSessionType\) +ADMIN \(2\)'
	keys Escape
	expect "mr $size: the list again" '1\. session\.start · 3 set'
	expect "mr $size: the status line counts it" '^multirequest: 1 item +F1 Help'
	keys a
	type_text "category.list"
	keys Enter
	expect "mr $size: request 2 open" '2\. category\.list \(Esc'
	# its own ks, from the picker
	keys Home C-v
	expect "mr $size: the reference picker" 'ks: an earlier request.s result'
	expect "mr $size: request 1's result offered" '>\{1:result\}'
	keys Enter
	expect "mr $size: picked, not typed" '\[x\] ks \(string\) +\{1:result\}'
	keys F5
	expect "mr $size: both answered" 'multirequest \(2 items\): every item worked; the KS was copied'
	expect "mr $size: each item's outcome" '1 session\.start: ok, its KS is the session.s'
	expect "mr $size: the KS in the session" 'ADMIN \(no user\) expires in'
	# F8: the builder as PHP, titled by the multirequest, its secret not in it
	keys F8
	type_text "php"
	keys Enter
	expect "mr $size: the PHP example's title" 'multirequest as PHP \(y copies'
	expect "mr $size: the PHP multirequest" 'startMultiRequest\(\)'
	current="mr $size: no secret in the example"
	screen | grep -q "$secret" && fail "the secret is in the example" || pass
	keys Escape
	# a third that fails alone
	keys Escape a
	type_text "category.get"
	keys Enter
	expect "mr $size: request 3 open" '3\. category\.get \(Esc'
	type_text "999999"
	keys Enter Home C-v
	expect "mr $size: earlier requests' paths offered" '\{2:result:objects:0:id\}'
	keys Enter
	expect "mr $size: request 3's ks" '\[x\] ks \(string\) +\{1:result\}'
	keys F5
	expect "mr $size: one failed, two worked" 'item 3 failed \(CATEGORY_NOT_FOUND\); 2 of 3 worked'
	expect "mr $size: its error" 'CATEGORY_NOT_FOUND: item 3 \(category\.get\)'
	# the others' results in the pane: a search finds them
	keys Tab
	expect "mr $size: the result pane" 'Result: multirequest \(3 items\)'
	keys /
	type_text "KalturaCategoryListResponse"
	keys Enter
	expect "mr $size: request 2's result" 'KalturaCategoryListResponse: match 1 of 1'
	keys Escape BTab
	# moving renumbers the references
	keys Escape Up Up J
	expect "mr $size: moved down" '2\. session\.start · 3 set'
	expect "mr $size: references follow" '1\. category\.list · 0 set · ks \{2:result\}'
	expect "mr $size: the third's too" '3\. category\.get · 1 set · ks \{2:result\}'
	keys K
	expect "mr $size: moved back" '2\. category\.list · 0 set · ks \{1:result\}'
	keys Down d
	expect "mr $size: removed" 'Removed request 2 \(category\.list\); 2 left'
	expect "mr $size: renumbered" '2\. category\.get · 1 set · ks \{1:result\}'
	# a missing mandatory parameter: refused, its request named and opened
	keys a
	type_text "category.get"
	keys Enter
	expect "mr $size: request 3 again" '3\. category\.get \(Esc'
	keys F5
	expect "mr $size: refused per item" 'Not sent: item 3 \(category\.get\): id is mandatory and not set'
	keys Escape d
	expect "mr $size: the incomplete one gone" 'Removed request 3'
	keys F5
	expect "mr $size: sent again" 'multirequest \(2 items\): item 2 failed \(CATEGORY_NOT_FOUND\); 1 of 2'
	# Esc leaves; the history brings it back
	keys Escape
	expect "mr $size: left" 'Left the multirequest builder'
	keys F7
	expect "mr $size: in the history" '3\. +multirequest \(2 items\) +CATEGORY_NOT_FOUND'
	keys Enter
	expect "mr $size: restored" 'Restored request 3 \(multirequest \(2 items\)\)'
	expect "mr $size: the builder rebuilt" '2\. category\.get · 1 set · ks \{1:result\}'
	keys F10
	expect "mr $size: quit" '^EXITED=0$'
	current="mr $size: no secret and no KS in the history store"
	if [ -n "$secret" ] && [ -f "$state/history.db" ] &&
		! grep -rqa -e "$secret" -e 'djJ8' "$state"; then pass; else
		fail "secret '$secret' or a KS (djJ8...) found, or no store"; fi
	current="mr $size: the store keeps the reference"
	grep -qa '2:ks = {1:result}' "$state/history.db" && pass || fail "no 2:ks line in the store"
	# after a restart
	opened
	[ "$size" = 80x24 ] && "${TMUX_CMD[@]}" resize-window -t "$TUI" -x 80 -y 24
	keys F7
	expect "mr $size: listed after a restart" '3\. +multirequest \(2 items\)'
	keys Enter
	expect "mr $size: restored after a restart" '1\. session\.start · 3 set'
	keys F5
	expect "mr $size: the secret from the session" 'item 2 failed \(CATEGORY_NOT_FOUND\); 1 of 2 worked'
	keys F10
	expect "mr $size: quit again" '^EXITED=0$'
}
mr_flow 100x30
mr_flow 80x24

if [ -z "$FIXTURE_URL" ]; then
	skip "t_multireq: the endpoint scoping step (no fixture server)"
else
	opened
	type_text "multi"
	keys Enter a
	type_text "session.start"
	keys Enter
	keys F3
	expect "mr scope: the sandbox's secret" 'secret \(string\) +[0-9a-f]{32}'
	sb_secret=$(screen | grep -oE 'secret \(string\) +[0-9a-f]{32}' | grep -oE '[0-9a-f]{32}$' | head -1)
	keys F3 F2
	type_text "custom"
	keys Enter
	expect "mr scope: URL prompt" 'Service URL:'
	keys C-u
	type_text "$FIXTURE_URL/mr"
	keys Enter
	expect "mr scope: the other endpoint" "url $FIXTURE_URL/mr"
	expect "mr scope: the secret row emptied" '\[ \] secret \(string\) +required$'
	keys F5
	expect "mr scope: refused, its request named" 'Not sent: item 1 \(session\.start\): secret is mandatory'
	keys C-f
	current="mr scope: the multirequest reached the other endpoint"
	wait_sent mr 'service/multirequest' && pass || fail "nothing reached it"
	current="mr scope: without the sandbox's secret"
	[ -n "$sb_secret" ] && ! sent mr | grep -q -- "$sb_secret" && pass || fail "$(sent mr)"
	keys F10
	expect "mr scope: quit" '^EXITED=0$'
fi
