# The walkthrough `ktestme sandbox` prints, followed to the letter.
"$KTESTME" sandbox --listen 127.0.0.1:0 >"$SCRATCH/wt.out" 2>&1 </dev/null &
wt_pid=$!
for _ in $(seq 100); do
	grep -q '^Ctrl-C' "$SCRATCH/wt.out" && break
	sleep 0.1
done
# the printed commands, continuation lines joined, in order
mapfile -t wt_cmds < <(sed -e ':a' -e '/\\$/N; s/ *\\\n */ /; ta' "$SCRATCH/wt.out" | sed -n 's/^ *ktestme call /call /p')
current="walkthrough prints four calls"
[ "${#wt_cmds[@]}" = 4 ] && pass || fail "${#wt_cmds[@]} calls: ${wt_cmds[*]}"
ks_of() { sed -n 's:.*<result>\(.*\)</result>.*:\1:p' "$OUT"; }
# shellcheck disable=SC2086
check "walkthrough 1: ADMIN session" 0 "$KTESTME" ${wt_cmds[0]}
ks1=$(ks_of)
# shellcheck disable=SC2086
check "walkthrough 2: CATEGORY_NOT_FOUND" 1 "$KTESTME" ${wt_cmds[1]/ KS / $ks1 }
expect_err '^CATEGORY_NOT_FOUND: Category id "2" not found$'
# shellcheck disable=SC2086
check "walkthrough 3: disableentitlement session" 0 "$KTESTME" ${wt_cmds[2]}
ks2=$(ks_of)
wt_secret=$(sed -n 's/^admin secret: //p' "$SCRATCH/wt.out")
check "walkthrough 3: the KS carries the privilege" 0 "$KTESTME" ks decode --secret "$wt_secret" "$ks2"
expect_out '^privileges: disableentitlement$'
expect_out '^type: 2 \(ADMIN\)$'
# shellcheck disable=SC2086
check "walkthrough 4: the category is found" 0 "$KTESTME" ${wt_cmds[3]/ KS / $ks2 }
expect_out '<privacyContext>MediaSpace</privacyContext>'
kill "$wt_pid" 2>/dev/null
wait "$wt_pid" 2>/dev/null
