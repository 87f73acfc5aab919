# The documented upload flow against the sandbox, end to end over HTTP: uploadToken.add, a file
# of random bytes (NULs included) sent in three chunks out of order with curl's multipart -F,
# media.add, media.addContent with a KalturaUploadedFileTokenResource, and the entry's
# downloadUrl answering the very bytes. Sourced by tests/integration/run.sh.
UP_ADMIN=upload-admin-secret
sandbox_up upload --partner-id 4321 --admin-secret "$UP_ADMIN"
UPU=$SANDBOX_URL
up_dir=$SCRATCH/upload
mkdir -p "$up_dir"
if ! command -v curl >/dev/null; then
	echo "sandbox_upload.sh: curl is not installed; the multipart upload is not run"
else
	UP_KS=$("$KTESTME" call --url "$UPU" --format json session start secret=$UP_ADMIN type=2 \
		partnerId=4321 2>/dev/null | tr -d '"')
	up_json() { "$KTESTME" call --url "$UPU" --ks "$UP_KS" --format json "$@" 2>/dev/null; }
	up_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
	head -c 300000 /dev/urandom >"$up_dir/clip.bin"
	printf '\0\0\0' >>"$up_dir/clip.bin"
	head -c 100000 "$up_dir/clip.bin" >"$up_dir/c1"
	tail -c +100001 "$up_dir/clip.bin" | head -c 100000 >"$up_dir/c2"
	tail -c +200001 "$up_dir/clip.bin" >"$up_dir/c3"

	up_entry=$(up_json media add entry:mediaType=1 entry:name=Upload | up_field id)
	up_tok=$(up_json uploadToken add uploadToken:fileName=clip.bin | up_field id)
	current="upload: entry and token made"
	[ -n "$up_entry" ] && [ -n "$up_tok" ] && pass || fail "entry '$up_entry' token '$up_tok'"
	up_send() { # curl FIELDS... : one uploadToken.upload, its JSON answer in $OUT
		current="upload: $*"
		curl -sS "$UPU/api_v3/service/uploadToken/action/upload" -F "ks=$UP_KS" -F format=1 \
			-F "uploadTokenId=$up_tok" "$@" >"$OUT" 2>"$ERR" && pass || fail "curl failed"
	}
	up_send -F resume=0 -F finalChunk=0 -F "fileData=@$up_dir/c1"
	expect_out '"status":1'
	up_send -F resume=1 -F finalChunk=1 -F resumeAt=200000 -F "fileData=@$up_dir/c3"
	expect_out '"code":"UPLOAD_TOKEN_CANNOT_MATCH_EXPECTED_SIZE"'
	up_send -F resume=1 -F finalChunk=0 -F resumeAt=100000 -F "fileData=@$up_dir/c2"
	expect_out '"uploadedFileSize":300003'
	: >"$up_dir/empty"
	up_send -F resume=1 -F finalChunk=1 -F resumeAt=300003 -F "fileData=@$up_dir/empty"
	expect_out '"status":2'
	check "upload: addContent" 0 "$KTESTME" call --url "$UPU" --ks "$UP_KS" --format json \
		media addContent entryId="$up_entry" resource:objectType=KalturaUploadedFileTokenResource \
		resource:token="$up_tok"
	expect_out '"status": "2"'
	up_url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["downloadUrl"])' "$OUT")
	current="upload: the content is the uploaded bytes"
	curl -sS -o "$up_dir/back.bin" "$up_url" && cmp -s "$up_dir/back.bin" "$up_dir/clip.bin" &&
		pass || fail "$up_url does not give the bytes back"
	check "upload: the token is closed" 0 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
		uploadToken get uploadTokenId="$up_tok"
	expect_out '<status>3</status>'
	expect_out "<attachedObjectId>$up_entry</attachedObjectId>"
	check "upload: no second content" 1 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
		media addContent entryId="$up_entry" resource:objectType=KalturaUploadedFileTokenResource \
		resource:token="$up_tok"
	expect_err '^ENTRY_ALREADY_WITH_CONTENT: Entry already associated with content$'
	check "upload: an unknown token" 1 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
		uploadToken get uploadTokenId=0_nope
	expect_err '^UPLOAD_TOKEN_NOT_FOUND: Upload token not found$'
	# the same flow with ktestme's own multipart body: fileData@FILE, as TestMe's form sends it
	up_entry2=$(up_json media add entry:mediaType=1 entry:name=Upload2 | up_field id)
	up_tok2=$(up_json uploadToken add | up_field id)
	check "upload: call uploadToken.upload fileData@FILE" 0 "$KTESTME" call --url "$UPU" \
		--ks "$UP_KS" --format json -v uploadToken upload uploadTokenId="$up_tok2" \
		"fileData@$up_dir/clip.bin"
	expect_out '"status": 2,'
	expect_out '"uploadedFileSize": 300003'
	# the part's filename is the file's base name
	expect_out '"fileName": "clip.bin"'
	expect_err "^> fileData: the file $up_dir/clip.bin \\(multipart/form-data\\)$"
	expect_no_err "$UP_KS"
	check "upload: addContent of the token ktestme filled" 0 "$KTESTME" call --url "$UPU" \
		--ks "$UP_KS" --format json media addContent entryId="$up_entry2" \
		resource:objectType=KalturaUploadedFileTokenResource resource:token="$up_tok2"
	up_url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["downloadUrl"])' "$OUT")
	current="upload: the entry's content is the bytes ktestme sent"
	curl -sS -o "$up_dir/back2.bin" "$up_url" && cmp -s "$up_dir/back2.bin" "$up_dir/clip.bin" &&
		pass || fail "$up_url does not give the bytes back"
	# a file that cannot be sent: one line, exit 66, nothing sent
	up_tok3=$(up_json uploadToken add | up_field id)
	check "upload: a missing file" 66 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
		uploadToken upload uploadTokenId="$up_tok3" "fileData@$up_dir/none.bin"
	expect_err "^ktestme: fileData: $up_dir/none.bin: no such file$"
	expect_one_err_line
	check "upload: a directory" 66 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
		uploadToken upload uploadTokenId="$up_tok3" "fileData@$up_dir"
	expect_err "^ktestme: fileData: $up_dir is a directory, not a file to upload$"
	expect_one_err_line
	mkfifo "$up_dir/fifo"
	check "upload: a FIFO" 66 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
		uploadToken upload uploadTokenId="$up_tok3" "fileData@$up_dir/fifo"
	expect_err "is not a regular file$"
	if [ "$(id -u)" != 0 ]; then # root reads a file of mode 000
		cp "$up_dir/c1" "$up_dir/locked" && chmod 000 "$up_dir/locked"
		check "upload: an unreadable file" 66 "$KTESTME" call --url "$UPU" --ks "$UP_KS" \
			uploadToken upload uploadTokenId="$up_tok3" "fileData@$up_dir/locked"
		expect_err "^ktestme: fileData: cannot read $up_dir/locked: Permission denied$"
	fi
	check "upload: name@ without a file" 64 "$KTESTME" call --url "$UPU" uploadToken upload \
		fileData@
	expect_err "'fileData@' needs a file to upload after the '@'"
	expect_one_err_line
	check "upload: a bad name before the @" 64 "$KTESTME" call --url "$UPU" uploadToken upload \
		"file Data@x"
	expect_one_err_line
	check "upload: the token stays empty after the refusals" 0 "$KTESTME" call --url "$UPU" \
		--ks "$UP_KS" uploadToken get uploadTokenId="$up_tok3"
	expect_out '<status>0</status>'
	# the code example of the same call
	check "upload: code curl prints -F" 0 "$KTESTME" code curl --url "$UPU" --ks x uploadToken \
		upload uploadTokenId="$up_tok2" "fileData@$up_dir/clip.bin"
	expect_out "^  -F 'fileData=@\"$up_dir/clip.bin\"'$"
	expect_out "--form-string 'uploadTokenId=$up_tok2'"
	expect_no_out 'data-urlencode'
	up_tok4=$(up_json uploadToken add | up_field id)
	sed "s/$up_tok2/$up_tok4/" "$OUT" >"$up_dir/example.sh"
	check "upload: the curl example uploads" 0 env KALTURA_KS="$UP_KS" bash "$up_dir/example.sh"
	expect_out '<uploadedFileSize>300003</uploadedFileSize>'
	# the same command read back by --from-curl: its -F fileData=@FILE is an upload again
	up_tok5=$(up_json uploadToken add | up_field id)
	sed "s/$up_tok4/$up_tok5/" "$up_dir/example.sh" >"$up_dir/example5.sh"
	check "upload: --from-curl of the example uploads" 0 env KALTURA_KS="$UP_KS" "$KTESTME" call \
		--from-curl "$up_dir/example5.sh"
	expect_out '<uploadedFileSize>300003</uploadedFileSize>'
	expect_out "<id>$up_tok5</id>"
	current="upload: no content for an unknown entry"
	code=$(curl -s -o /dev/null -w '%{http_code}' "$UPU/p/4321/sp/432100/raw/entry_id/0_nope/version/0")
	[ "$code" = 404 ] && pass || fail "HTTP $code"
fi
sandbox_down upload
