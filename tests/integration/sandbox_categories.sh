# Categories, memberships and entries with entitlements (KALTURA.md section 6) through the real
# binary: sourced by tests/integration/run.sh. Its own sandbox instance; seeded demo data:
# 1 Demo, 2 MediaSpace (privacy context "MediaSpace"), 3 Members only, 4 Demo>Sub.

SBC_ADMIN=sbc-admin-secret
sandbox_up categories --partner-id 4321 --admin-secret "$SBC_ADMIN" --user-secret sbc-user-secret
SBCU=$SANDBOX_URL

sbc_ks() {
	"$KTESTME" call --url "$SBCU" --format json session start partnerId=4321 secret=$SBC_ADMIN type=2 "$@" \
		2>/dev/null | tr -d '"'
}
sbc_admin=$(sbc_ks userId=admin)
sbc_off=$(sbc_ks userId=admin privileges=disableentitlement)
sbc_ctx=$(sbc_ks userId=admin privileges=privacycontext:MediaSpace)
sbc_alice=$(sbc_ks userId=alice)

for fmt in xml json; do
	check "sbc admin ks hides MediaSpace $fmt" 1 "$KTESTME" call --url "$SBCU" --format $fmt \
		--ks "$sbc_admin" category get id=2
	expect_err '^CATEGORY_NOT_FOUND: Category id "2" not found$'
	expect_one_err_line
	check "sbc missing category $fmt" 1 "$KTESTME" call --url "$SBCU" --format $fmt \
		--ks "$sbc_admin" category get id=99
	expect_err '^CATEGORY_NOT_FOUND: Category id "99" not found$'
	check "sbc disableentitlement $fmt" 0 "$KTESTME" call --url "$SBCU" --format $fmt \
		--ks "$sbc_off" category get id=2
	expect_out 'MediaSpace'
	check "sbc privacycontext $fmt" 0 "$KTESTME" call --url "$SBCU" --format $fmt \
		--ks "$sbc_ctx" category get id=2
	expect_out 'KalturaCategory'
	check "sbc hidden entry $fmt" 1 "$KTESTME" call --url "$SBCU" --format $fmt \
		--ks "$sbc_admin" baseEntry get entryId=0_msp00001
	expect_err '^ENTRY_ID_NOT_FOUND: Entry id "0_msp00001" not found$'
	check "sbc entry with context $fmt" 0 "$KTESTME" call --url "$SBCU" --format $fmt \
		--ks "$sbc_ctx" baseEntry get entryId=0_msp00001
	expect_out '0_msp00001'
done

check "sbc members only hidden" 1 "$KTESTME" call --url "$SBCU" --ks "$sbc_alice" category get id=3
expect_err '^CATEGORY_NOT_FOUND: Category id "3" not found$'
check "sbc add member" 0 "$KTESTME" call --url "$SBCU" --ks "$sbc_admin" categoryUser add \
	categoryUser:objectType=KalturaCategoryUser categoryUser:categoryId=3 categoryUser:userId=alice
expect_out '<objectType>KalturaCategoryUser</objectType>'
check "sbc member sees it" 0 "$KTESTME" call --url "$SBCU" --ks "$sbc_alice" category get id=3
expect_out '<name>Members only</name>'
check "sbc add child" 0 "$KTESTME" call --url "$SBCU" --ks "$sbc_admin" category add \
	category:objectType=KalturaCategory category:name=Leaf category:parentId=4
expect_out '<fullName>Demo&gt;Sub&gt;Leaf</fullName>'
check "sbc add bad parent" 1 "$KTESTME" call --url "$SBCU" --ks "$sbc_admin" category add \
	category:name=Leaf category:parentId=77
expect_err '^CATEGORY_NOT_FOUND: Category id "77" not found$'
check "sbc media add" 0 "$KTESTME" call --url "$SBCU" --ks "$sbc_admin" media add \
	entry:objectType=KalturaMediaEntry entry:name=Clip entry:mediaType=1 entry:categoriesIds=1,4
expect_out '<id>0_[a-z0-9]{8}</id>'
expect_out '<categories>Demo,Demo&gt;Sub</categories>'
check "sbc list with context" 0 "$KTESTME" call --url "$SBCU" --ks "$sbc_ctx" baseEntry list
expect_out '<totalCount>2</totalCount>'

sandbox_down categories
