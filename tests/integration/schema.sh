# `ktestme schema`: sourced by tests/integration/run.sh, which provides check, expect_out,
# expect_err, expect_no_out, expect_one_err_line, $KTESTME and $TESTDATA. The expected text
# comes from tests/data/schema-small.xml, written by hand for this.

SMALL=$TESTDATA/schema-small.xml

# ---- help and dispatch ----
check schema-help 0 $KTESTME schema --help
expect_out '^Usage: ktestme schema COMMAND'
for sub in stats show search; do
	check "schema-$sub-help" 0 $KTESTME schema $sub --help
	expect_out "^Usage: ktestme schema $sub"
	expect_out 'KTESTME_SCHEMA'
done
check schema-listed-in-main-help 0 $KTESTME --help
expect_out '^  schema '
check schema-no-command 64 $KTESTME schema
expect_err '^ktestme schema: expected a command'
expect_one_err_line
check schema-unknown-command 64 $KTESTME schema count
expect_err "unknown command 'count'"
expect_one_err_line
check schema-unknown-option 64 $KTESTME schema stats --schema "$SMALL" --bogus
expect_one_err_line
check schema-option-without-value 64 $KTESTME schema stats --schema
expect_err -- '--schema takes a file name'
check schema-stats-extra-argument 64 $KTESTME schema stats --schema "$SMALL" extra
expect_one_err_line

# ---- stats: exactly five lines, nothing on stderr ----
check schema-stats 0 $KTESTME schema stats --schema "$SMALL"
if [ "$(cat "$OUT")" = "$(printf 'services: 3\nactions: 8\nenums: 5\nclasses: 14\nerrors: 5')" ]; then
	pass
else
	fail "stats output differs"
fi
if [ -s "$ERR" ]; then fail "stats wrote to stderr"; else pass; fi
check schema-stats-verbose 0 $KTESTME schema stats -v --schema "$SMALL"
expect_out '^services: 3$'
expect_err "schema-small.xml"
expect_err '^ktestme: schema ready in [0-9.]+ ms \((parsed|mapped from its compiled image)\)$'
check schema-stats-verbose-again 0 $KTESTME schema stats -v --schema "$SMALL"
expect_err '^ktestme: schema ready in [0-9.]+ ms \(mapped from its compiled image\)$'
check schema-stats-env 0 env KTESTME_SCHEMA="$SMALL" $KTESTME schema stats
expect_out '^actions: 8$'
check schema-stats-option-after-env 0 env KTESTME_SCHEMA=/nonexistent $KTESTME schema stats --schema "$SMALL"
expect_out '^classes: 14$'

# ---- show ----
check schema-show 0 $KTESTME schema show --schema "$SMALL" session.start
expect_out '^session\.start$'
expect_out "^Start a session with Kaltura's server\.$"
expect_out '^KS: not needed; multirequest: yes$'
expect_out '^  secret \(string\) required$'
expect_out '^  userId \(string\) optional, default ""$'
expect_out '^  type \(int, enum KalturaSessionType\) optional, default 0$'
expect_out '^      USER = 0$'
expect_out '^      ADMIN = 2$'
expect_out '^  partnerId \(int\) optional, default null$'
expect_out '^  expiry \(int\) optional, default 86400$'
expect_out '^Result: string$'
expect_out '^Throws: START_SESSION_ERROR$'
check schema-show-any-case 0 $KTESTME schema show --schema "$SMALL" SESSION.Start
expect_out '^session\.start$'
check schema-show-two-words 0 $KTESTME schema show --schema "$SMALL" media get
expect_out '^media\.get$'
expect_out '^KS: optional'
expect_out '^  version \(int\) optional, default -1$'
check schema-show-void 0 $KTESTME schema show --schema "$SMALL" session.end
expect_out '^Result: none \(void\)$'
expect_out '^Parameters: none$'
expect_out '^KS: required'
check schema-show-plugin-id 0 $KTESTME schema show --schema "$SMALL" caption_captionasset.setAsDefault
expect_out '^captionAsset\.setAsDefault \(service id caption_captionasset\)$'
expect_out 'plugin: caption; beta'
expect_out '^      WEBVTT = 3$'
check schema-show-object-types 0 $KTESTME schema show --schema "$SMALL" media.list
expect_out '^  filter \(KalturaMediaEntryFilter\) optional, default null$'
# KalturaMediaEntryFilter is its only concrete class: no choice, so no objectType line
expect_no_out 'objectType'
expect_out '^  pager \(KalturaFilterPager\) optional, default null$'
check schema-show-abstract-array 0 $KTESTME schema show --schema "$SMALL" media.updateContent
expect_out '^  operationAttributes \(array of KalturaOperationAttributes\) optional, default null$'
expect_out '^      objectType: KalturaClipAttributes$'
expect_out '; deprecated$'
expect_out '^Throws: ENTRY_ID_NOT_FOUND, INVALID_KS$'
check schema-show-array-result 0 $KTESTME schema show --schema "$SMALL" media.getByIds
expect_out '^Result: array of KalturaMediaEntry$'
expect_out 'multirequest: no'
check schema-show-unknown-service 64 $KTESTME schema show --schema "$SMALL" sesion.start
expect_err "no service 'sesion'.*did you mean session\?"
expect_one_err_line
check schema-show-unknown-action 64 $KTESTME schema show --schema "$SMALL" session.strat
expect_err "service session has no action 'strat'; did you mean start\?"
expect_one_err_line
check schema-show-nothing-close 64 $KTESTME schema show --schema "$SMALL" media.xyzzy
expect_err "no action 'xyzzy'"
expect_one_err_line
check schema-show-no-dot 64 $KTESTME schema show --schema "$SMALL" session
expect_err 'expected SERVICE\.ACTION'
expect_one_err_line
check schema-show-no-argument 64 $KTESTME schema show --schema "$SMALL"
expect_one_err_line

# ---- search ----
check schema-search 0 $KTESTME schema search --schema "$SMALL" CAPTION
if [ "$(cat "$OUT")" = "$(printf 'service captionAsset\nclass   KalturaCaptionAsset\nenum    KalturaCaptionType')" ]; then
	pass
else
	fail "search output differs"
fi
check schema-search-actions 0 $KTESTME schema search --schema "$SMALL" media.get
expect_out '^action  media\.get$'
expect_out '^action  media\.getByIds$'
expect_no_out '^(service|class|enum) '
check schema-search-none 0 $KTESTME schema search --schema "$SMALL" xyzzy
expect_no_out .
expect_err "nothing in .* matches 'xyzzy'"
check schema-search-no-word 64 $KTESTME schema search --schema "$SMALL"
expect_one_err_line

# ---- bad schema files: one line, the file and line, 66 or 65 ----
check schema-missing-file 66 $KTESTME schema stats --schema "$TESTDATA/no-such-schema.xml"
expect_err 'no-such-schema\.xml: No such file'
expect_one_err_line
check schema-directory 66 $KTESTME schema stats --schema "$TESTDATA"
expect_one_err_line
check schema-missing-default 66 env KTESTME_SCHEMA="$TESTDATA/no-such-schema.xml" $KTESTME schema stats
expect_one_err_line
for bad in "$TESTDATA"/schema-bad-*.xml; do
	name=$(basename "$bad" .xml)
	check "$name" 65 $KTESTME schema stats --schema "$bad"
	expect_err "^ktestme: $bad:[0-9]+: "
	expect_one_err_line
	expect_no_out .
done
check schema-bad-show 65 $KTESTME schema show --schema "$TESTDATA/schema-bad-truncated.xml" session.start
expect_one_err_line
check schema-bad-action-line 65 $KTESTME schema stats --schema "$TESTDATA/schema-bad-action-outside.xml"
expect_err ':9: expected <service> in <services>, found <action>$'

# ---- the reference schemas, when ../shared is there: counts as XPath gives them ----
for ref in ../shared/schemas/kaltura-api-22.19.0.xml ../shared/schemas/kaltura-api-3.3.0-2016-03-17.xml; do
	if [ ! -r "$ref" ] || ! command -v xmllint >/dev/null; then
		skip "schema.sh: $ref (file or xmllint missing)"
		continue
	fi
	want=""
	for pair in services:/xml/services/service actions:/xml/services/service/action \
		enums:/xml/enums/enum classes:/xml/classes/class errors:/xml/errors/error; do
		want="$want${pair%%:*}: $(xmllint --xpath "count(${pair#*:})" "$ref")
"
	done
	check "schema-reference-$(basename "$ref")" 0 $KTESTME schema stats --schema "$ref"
	if [ "$(cat "$OUT")" = "${want%
}" ]; then pass; else fail "counts differ from xmllint's"; fi
done
