# Every action the sandbox serves, and each error of issue 4, through `ktestme call` in XML and
# in JSON: sourced by tests/integration/run.sh. Its own sandbox on an ephemeral port; codes and
# messages are the catalogue's (schemas/kaltura.xml <errors>, KALTURA.md sections 3-6).

SA_ADMIN=actions-admin-secret
SA_USER=actions-user-secret
sandbox_up actions --partner-id 4321 --admin-secret "$SA_ADMIN" --user-secret "$SA_USER"
SAU=$SANDBOX_URL

sa() { "$KTESTME" call --url "$SAU" "$@"; }
# A property as either format prints it: <name>value or "name": value / "name": "value"
f() { printf '(<%s>|"%s": "?)%s' "$1" "$1" "$2"; }
# The text of the first property name in the last check's stdout, either format.
val() { sed -n "s/.*\\(<$1>\\|\"$1\": \"\\{0,1\\}\\)\\([^<\",]*\\).*/\\2/p" "$OUT" | head -1; }
sa_ks() { sa --format json session start partnerId=4321 "$@" 2>/dev/null | tr -d '"'; }

AKS=$(sa_ks secret=$SA_ADMIN type=2 userId=admin)
OKS=$(sa_ks secret=$SA_ADMIN type=2 userId=admin privileges=disableentitlement)
UKS=$(sa_ks secret=$SA_USER userId=bob)
WKS=$(sa --format json session startWidgetSession widgetId=_4321 2>/dev/null |
	sed -n 's/.*"ks": *"\([^"]*\)".*/\1/p')
EXPIRED=$(KALTURA_ADMIN_SECRET=$SA_ADMIN "$KTESTME" ks gen --partner-id 4321 --type admin \
	--valid-until 1000000000)

for fmt in xml json; do
	# ---- session ----
	check "sba session.start $fmt" 0 sa --format $fmt session start partnerId=4321 secret=$SA_ADMIN type=2 \
		userId=alice
	expect_out 'djJ8NDMyMX'
	check "sba session.get $fmt" 0 sa --format $fmt --ks "$AKS" session get
	expect_out "$(f objectType KalturaSessionInfo)"
	expect_out "$(f sessionType 2)"
	check "sba session.impersonate $fmt" 0 sa --format $fmt session impersonate partnerId=4321 \
		secret=$SA_ADMIN impersonatedPartnerId=99 type=2
	expect_out 'djJ8OTl8'    # base64("v2|99|")
	check "sba session.startWidgetSession $fmt" 0 sa --format $fmt session startWidgetSession \
		widgetId=_4321
	expect_out "$(f objectType KalturaStartWidgetSessionResponse)"
	EKS=$(sa_ks secret=$SA_ADMIN type=2 userId=ender)
	check "sba session.end $fmt" 0 sa --format $fmt --ks "$EKS" session end
	check "sba session.end then rejected $fmt" 1 sa --format $fmt --ks "$EKS" session get
	expect_err '^INVALID_KS: Invalid KS "LOGOUT", Error "-1,INVALID_STR"$'
	expect_one_err_line

	# ---- appToken ----
	check "sba appToken.add $fmt" 0 sa --format $fmt --ks "$AKS" appToken add \
		appToken:objectType=KalturaAppToken appToken:hashType=SHA256 appToken:description=t-$fmt
	expect_out "$(f hashType SHA256)"
	tid=$(val id)
	tok=$(val token)
	check "sba appToken.get $fmt" 0 sa --format $fmt --ks "$AKS" appToken get id="$tid"
	expect_out "$(f description t-$fmt)"
	check "sba appToken.list $fmt" 0 sa --format $fmt --ks "$AKS" appToken list \
		filter:objectType=KalturaAppTokenFilter filter:idEqual="$tid"
	expect_out "$(f totalCount 1)"
	check "sba appToken.update $fmt" 0 sa --format $fmt --ks "$AKS" appToken update id="$tid" \
		appToken:objectType=KalturaAppToken appToken:description=renamed
	expect_out "$(f description renamed)"
	hash=$(printf '%s%s' "$WKS" "$tok" | sha256sum | cut -c1-64)
	check "sba appToken.startSession $fmt" 0 sa --format $fmt --ks "$WKS" appToken startSession \
		id="$tid" tokenHash="$hash"
	expect_out "$(f privileges "sessionid:$tid,apptoken:$tid")"
	check "sba appToken.delete $fmt" 0 sa --format $fmt --ks "$AKS" appToken delete id="$tid"
	check "sba appToken.get deleted $fmt" 1 sa --format $fmt --ks "$AKS" appToken get id="$tid"
	expect_err "^APP_TOKEN_ID_NOT_FOUND: Application token id \"$tid\" not found$"

	# ---- user ----
	check "sba user.add $fmt" 0 sa --format $fmt --ks "$AKS" user add user:objectType=KalturaUser \
		user:id=u-$fmt user:email=u-$fmt@example.com user:password=Pass-word-1 user:isAdmin=true
	expect_out "$(f id u-$fmt)"
	expect_out "$(f isAdmin '(1|true)')"
	expect_no_out 'Pass-word-1'
	check "sba user.get $fmt" 0 sa --format $fmt --ks "$AKS" user get userId=u-$fmt
	expect_out "$(f email u-$fmt@example.com)"
	check "sba user.list $fmt" 0 sa --format $fmt --ks "$AKS" user list \
		filter:objectType=KalturaUserFilter filter:idEqual=u-$fmt
	expect_out "$(f totalCount 1)"
	check "sba user.update $fmt" 0 sa --format $fmt --ks "$AKS" user update userId=u-$fmt \
		user:objectType=KalturaUser user:firstName=First
	expect_out "$(f firstName First)"
	check "sba user.login $fmt" 0 sa --format $fmt user login partnerId=4321 userId=u-$fmt \
		password=Pass-word-1
	expect_out 'djJ8NDMyMX'
	check "sba user.loginByLoginId $fmt" 0 sa --format $fmt user loginByLoginId \
		loginId=u-$fmt@example.com password=Pass-word-1
	expect_out 'djJ8NDMyMX'
	check "sba user.delete $fmt" 0 sa --format $fmt --ks "$AKS" user delete userId=u-$fmt
	check "sba user.get deleted $fmt" 1 sa --format $fmt --ks "$AKS" user get userId=u-$fmt
	expect_err '^INVALID_USER_ID: Invalid user id$'

	# ---- category and categoryUser ----
	check "sba category.add $fmt" 0 sa --format $fmt --ks "$OKS" category add \
		category:objectType=KalturaCategory category:name=Cat-$fmt category:parentId=1 \
		category:privacyContext=Ctx-$fmt
	expect_out "$(f fullName "Demo(>|&gt;)Cat-$fmt")"
	cid=$(val id)
	check "sba category.get $fmt" 0 sa --format $fmt --ks "$OKS" category get id="$cid"
	expect_out "$(f privacyContext Ctx-$fmt)"
	check "sba category.get hidden by its context $fmt" 1 sa --format $fmt --ks "$AKS" \
		category get id="$cid"
	expect_err "^CATEGORY_NOT_FOUND: Category id \"$cid\" not found$"
	check "sba category.list $fmt" 0 sa --format $fmt --ks "$OKS" category list \
		filter:objectType=KalturaCategoryFilter filter:fullNameStartsWith="Demo>Cat-$fmt"
	expect_out "$(f totalCount 1)"
	# no orderBy: KalturaCategoryFilter's DEPTH_ASC, so a top-level category made after the
	# sub-category comes first
	check "sba category.add top-level $fmt" 0 sa --format $fmt --ks "$OKS" category add \
		category:objectType=KalturaCategory category:name=Top-$fmt category:privacyContext=Ctx-$fmt
	tid=$(val id)
	check "sba category.list default order $fmt" 0 sa --format $fmt --ks "$OKS" category list \
		filter:objectType=KalturaCategoryFilter filter:privacyContextEqual=Ctx-$fmt
	expect_out "$(f totalCount 2)"
	if [ "$(grep -oE "(Top|Cat)-$fmt" "$OUT" | head -1)" = "Top-$fmt" ]; then pass
	else fail "category.list without orderBy: Cat-$fmt before Top-$fmt"; fi
	check "sba category.delete top-level $fmt" 0 sa --format $fmt --ks "$OKS" category delete \
		id="$tid"
	check "sba category.update $fmt" 0 sa --format $fmt --ks "$OKS" category update id="$cid" \
		category:objectType=KalturaCategory category:name=Renamed-$fmt
	expect_out "$(f name Renamed-$fmt)"
	check "sba categoryUser.add $fmt" 0 sa --format $fmt --ks "$OKS" categoryUser add \
		categoryUser:objectType=KalturaCategoryUser categoryUser:categoryId="$cid" \
		categoryUser:userId=bob
	expect_out "$(f objectType KalturaCategoryUser)"
	check "sba categoryUser.list $fmt" 0 sa --format $fmt --ks "$OKS" categoryUser list \
		filter:objectType=KalturaCategoryUserFilter filter:categoryIdEqual="$cid"
	expect_out "$(f totalCount 1)"
	expect_out "$(f userId bob)"
	check "sba categoryUser.delete $fmt" 0 sa --format $fmt --ks "$OKS" categoryUser delete \
		categoryId="$cid" userId=bob
	check "sba categoryUser.delete again $fmt" 1 sa --format $fmt --ks "$OKS" categoryUser delete \
		categoryId="$cid" userId=bob
	expect_err '^INVALID_CATEGORY_USER_ID'

	# ---- media and baseEntry, with the category's entry counts ----
	check "sba media.add $fmt" 0 sa --format $fmt --ks "$OKS" media add \
		entry:objectType=KalturaMediaEntry entry:name=Clip-$fmt entry:mediaType=1 \
		entry:categoriesIds="$cid"
	expect_out "$(f id '0_[a-z0-9]{8}')"
	eid=$(val id)
	check "sba category counts the entry $fmt" 0 sa --format $fmt --ks "$OKS" category get id="$cid"
	expect_out "$(f directEntriesCount 1)"
	expect_out "$(f entriesCount 1)"
	check "sba parent counts it too $fmt" 0 sa --format $fmt --ks "$OKS" category get id=1
	expect_out "$(f entriesCount 3)"
	expect_out "$(f directEntriesCount 2)"
	check "sba media.get $fmt" 0 sa --format $fmt --ks "$OKS" media get entryId="$eid"
	expect_out "$(f name Clip-$fmt)"
	check "sba media.list $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaMediaEntryFilter filter:idEqual="$eid"
	expect_out "$(f totalCount 1)"
	check "sba baseEntry.get $fmt" 0 sa --format $fmt --ks "$OKS" baseEntry get entryId="$eid"
	expect_out "$(f id "$eid")"
	check "sba baseEntry.list $fmt" 0 sa --format $fmt --ks "$OKS" baseEntry list \
		filter:objectType=KalturaBaseEntryFilter filter:nameLike=clip-$fmt
	expect_out "$(f totalCount 1)"
	# categoryAncestorIdIn: in the category or below it (the entry is in Demo>Cat)
	check "sba media.list categoryAncestorIdIn $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaMediaEntryFilter filter:categoryAncestorIdIn=1 \
		filter:nameLike=clip-$fmt
	expect_out "$(f totalCount 1)"
	check "sba baseEntry.list categoryAncestorIdIn elsewhere $fmt" 0 sa --format $fmt --ks "$OKS" \
		baseEntry list filter:objectType=KalturaBaseEntryFilter filter:categoryAncestorIdIn=2,3 \
		filter:nameLike=clip-$fmt
	expect_out "$(f totalCount 0)"
	# the filter's class selects the records, as the server's filter classes do
	check "sba baseEntry.list document type $fmt" 0 sa --format $fmt --ks "$OKS" baseEntry list \
		filter:objectType=KalturaDocumentEntryFilter filter:documentTypeEqual=11
	expect_out "$(f totalCount 0)"
	check "sba media.list live streams $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaLiveStreamEntryFilter
	expect_out "$(f totalCount 0)"
	check "sba media.list live, typeIn given $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaLiveEntryFilter filter:typeIn=1 filter:nameLike=clip-$fmt
	expect_out "$(f totalCount 1)"
	check "sba media.list media server $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaLiveEntryFilter filter:typeIn=1 filter:hasMediaServerHostname=h
	expect_out "$(f totalCount 0)"
	check "sba baseEntry.list playlists $fmt" 0 sa --format $fmt --ks "$OKS" baseEntry list \
		filter:objectType=KalturaPlaylistFilter filter:playListTypeEqual=3
	expect_out "$(f totalCount 0)"
	check "sba baseEntry.list rooms $fmt" 0 sa --format $fmt --ks "$OKS" baseEntry list \
		filter:objectType=KalturaRoomEntryFilter filter:roomTypeEqual=1
	expect_out "$(f totalCount 0)"
	check "sba media.list external $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaExternalMediaEntryFilter filter:externalSourceTypeEqual=YouTube
	expect_out "$(f totalCount 0)"
	check "sba user.list groups $fmt" 0 sa --format $fmt --ks "$OKS" user list \
		filter:objectType=KalturaGroupFilter filter:groupType=1
	expect_out "$(f totalCount 0)"
	check "sba media.list playlist limit $fmt" 0 sa --format $fmt --ks "$OKS" media list \
		filter:objectType=KalturaMediaEntryFilterForPlaylist filter:limit=1 filter:name=x
	expect_out "$(f totalCount 6)"
	check "sba media.delete $fmt" 0 sa --format $fmt --ks "$OKS" media delete entryId="$eid"
	check "sba media.get deleted $fmt" 1 sa --format $fmt --ks "$OKS" media get entryId="$eid"
	expect_err "^ENTRY_ID_NOT_FOUND: Entry id \"$eid\" not found$"
	check "sba count follows the delete $fmt" 0 sa --format $fmt --ks "$OKS" category get id="$cid"
	expect_out "$(f entriesCount 0)"
	check "sba category.delete $fmt" 0 sa --format $fmt --ks "$OKS" category delete id="$cid"
	check "sba category.get deleted $fmt" 1 sa --format $fmt --ks "$OKS" category get id="$cid"
	expect_err "^CATEGORY_NOT_FOUND: Category id \"$cid\" not found$"

	# ---- multirequest ----
	check "sba multirequest $fmt" 0 sa --format $fmt multirequest \
		1:service=session 1:action=start 1:partnerId=4321 1:secret=$SA_ADMIN 1:type=2 1:userId=multi \
		2:service=session 2:action=get '2:ks={1:result}'
	expect_out "$(f userId multi)"
	check "sba multirequest missing result $fmt" 1 sa --format $fmt --ks "$AKS" multirequest \
		1:service=category 1:action=get 1:id=1 2:service=session 2:action=get '2:ks={7:result}'
	expect_out "$(f name Demo)"
	expect_err '^item 2: INVALID_KS: Invalid KS "{7:result}", Error "-1,INVALID_STR"$'

	# ---- the errors of issue 4 ----
	while IFS='|' read -r name want pattern args; do
		[ -n "$name" ] || continue
		# shellcheck disable=SC2086
		eval "set -- $args"
		check "sba error: $name $fmt" "$want" sa --format $fmt "$@"
		expect_err "$pattern"
		expect_one_err_line
	done <<-ROWS
	unknown service|1|^SERVICE_DOES_NOT_EXISTS: Service "nosuch" does not exists$|nosuch list
	unknown action|1|^ACTION_DOES_NOT_EXISTS: Action "nosuch" does not exists for service "category"$|--ks "\$AKS" category nosuch
	missing mandatory param|1|^MISSING_MANDATORY_PARAMETER: Missing parameter "id"$|--ks "\$AKS" category get
	bad enum|1|^INVALID_ENUM_VALUE: Invalid enumeration value "7" for parameter "hashType"|--ks "\$AKS" appToken add appToken:hashType=7
	bad objectType|1|^INVALID_OBJECT_TYPE: Invalid object type "KalturaUserFilter"$|--ks "\$AKS" category list filter:objectType=KalturaUserFilter
	abstract objectType|1|^OBJECT_TYPE_ABSTRACT: The object type "KalturaSearchItem" is abstract|--ks "\$AKS" category list filter:advancedSearch:objectType=KalturaSearchItem
	abstract array item|1|^OBJECT_TYPE_ABSTRACT: The object type "KalturaOperationAttributes"|--ks "\$AKS" media add entry:mediaType=1 entry:operationAttributes:0:objectType=KalturaOperationAttributes
	nested int|1|^INVALID_PARAMETER_VALUE: invalid value for parameter "pager:pageSize"$|--ks "\$AKS" category list pager:pageSize=lots
	expired KS|1|^INVALID_KS: Invalid KS "EXPIRED", Error "-1,INVALID_STR"$|--ks "\$EXPIRED" session get
	garbage KS|1|^INVALID_KS: Invalid KS ".*", Error "-1,INVALID_STR"$|--ks garbage session get
	missing KS|1|^MISSING_KS: Missing KS, session not established$|category add category:name=x
	USER session on category.add|1|^SERVICE_FORBIDDEN: The access to service \[category->add\] is forbidden$|--ks "\$UKS" category add category:name=x
	USER session on user.list|1|^SERVICE_FORBIDDEN: The access to service \[user->list\] is forbidden$|--ks "\$UKS" user list
	USER session on appToken.add|1|^SERVICE_FORBIDDEN: The access to service \[apptoken->add\] is forbidden$|--ks "\$UKS" appToken add appToken:objectType=KalturaAppToken
	USER session on categoryUser.add|1|^SERVICE_FORBIDDEN: The access to service \[categoryuser->add\] is forbidden$|--ks "\$UKS" categoryUser add categoryUser:objectType=KalturaCategoryUser categoryUser:categoryId=1 categoryUser:userId=x
	widget session on media.add|1|^SERVICE_FORBIDDEN: The access to service \[media->add\] is forbidden$|--ks "\$WKS" media add entry:mediaType=1
	USER session on another's entry|1|^INVALID_KS: Invalid KS "", Error "-4,INVALID_TYPE"$|--ks "\$UKS" media delete entryId=0_demo0001
	bad secret|1|^START_SESSION_ERROR: Error while starting session for partner \[4321\]$|session start partnerId=4321 secret=wrong
	user secret starting ADMIN|1|^START_SESSION_ERROR: Error while starting session for partner \[4321\]$|session start partnerId=4321 secret=\$SA_USER type=2
	user secret starting ADMIN by impersonate|1|^START_SESSION_ERROR|session impersonate partnerId=4321 secret=\$SA_USER impersonatedPartnerId=5 type=2
	ROWS

	# the walkthrough's case for a USER session: not found, not forbidden
	check "sba USER session category.get $fmt" 1 sa --format $fmt --ks "$UKS" category get id=2
	expect_err '^CATEGORY_NOT_FOUND: Category id "2" not found$'
	check "sba USER session reads category 1 $fmt" 0 sa --format $fmt --ks "$UKS" category get id=1
	expect_out "$(f name Demo)"
done

# X-Kaltura-Session: the request's log id and the server's time, on every API answer
if command -v curl >/dev/null; then
	check "sba X-Kaltura-Session" 0 curl -sS -D - -o /dev/null "$SAU/api_v3/service/session/action/get"
	expect_out '^X-Kaltura-Session: [0-9]+, [0-9]{10}'
	check "sba X-Kaltura-Session with a KS" 0 curl -sS -D - -o /dev/null \
		"$SAU/api_v3/service/session/action/get?ks=$AKS"
	expect_out '^X-Kaltura-Session: [0-9]+, [0-9]{10}'
else
	skip "sandbox_actions.sh: curl is not installed; X-Kaltura-Session is not checked"
fi

sandbox_down actions
