# The documented upload flow in the console against its sandbox: uploadToken.add, then
# uploadToken.upload with the file's path typed into fileData (Tab completes it) and sent as
# multipart/form-data by F5, media.add and media.addContent with a
# KalturaUploadedFileTokenResource (both pasted as curl commands); the entry's content, read
# back from the sandbox, is the very bytes of the file. A path that is no file is refused in
# the status line, nothing sent.
mkdir -p "$SCRATCH/home/up/sub"
head -c 200000 /dev/urandom >"$SCRATCH/home/up/clip.bin"
printf '\0\0' >>"$SCRATCH/home/up/clip.bin"
opened
open_action session start
keys F5
expect "upload: KS captured" 'session\.start: the KS was copied into the session field'
base=$(screen | grep -oE 'local http://127\.0\.0\.1:[0-9]+' | head -1 | cut -d' ' -f2)
pid=$(screen | grep -oE 'partner [0-9]+' | head -1 | cut -d' ' -f2)
keys BTab BTab Escape
open_action uploadToken add
keys F5
expect "upload: a token" '<objectType>KalturaUploadToken</objectType>'
tok=$(screen | grep -oE '0_[0-9a-f]{32}' | head -1)
current="upload: the token's id read"
[ -n "$tok" ] && pass || fail "no token id"
keys BTab BTab Escape
open_action uploadToken upload
expect "upload: the file field" 'fileData \(file\)'
type_text "$tok"
keys Enter Down
# a directory is no file: refused in the status line, nothing sent
type_text "up/su"
keys Tab
expect "upload: Tab completes a directory" 'fileData \(file\) +up/sub/'
keys Enter F5
expect "upload: a directory refused" 'up/sub/ is a directory, not a file to upload'
keys Enter C-u
type_text "up/cl"
keys Tab
expect "upload: Tab completes the file name" 'fileData \(file\) +up/clip\.bin'
keys Enter F5
expect "upload: uploaded" '<uploadedFileSize>200002</uploadedFileSize>'
expect "upload: the token is full" '<status>2</status>'
keys Tab H
expect "upload: sent as multipart" 'Content-Type: multipart/form-data'
expect "upload: the file named" 'fileData: the file up/clip\.bin'
keys Escape
keys C-p
type_text "curl -X POST https://www.kaltura.com/api_v3/service/media/action/add -d entry:objectType=KalturaMediaEntry -d entry:mediaType=1 -d entry:name=Uploaded"
keys Enter
expect "upload: media.add filled" 'media\.add filled'
keys F5
expect "upload: an entry" '<objectType>KalturaMediaEntry</objectType>'
entry=$(screen | grep -oE '<id>[0-9]_[a-z0-9]+</id>' | head -1 | sed 's/<[^>]*>//g')
current="upload: the entry's id read"
[ -n "$entry" ] && pass || fail "no entry id"
keys C-p
# the endpoint's own URL: resource:token has a credential's name, which an import from
# another endpoint leaves behind
type_text "curl -X POST $base/api_v3/service/media/action/addContent -d entryId=$entry -d resource:objectType=KalturaUploadedFileTokenResource -d resource:token=$tok"
keys Enter
expect "upload: addContent filled" 'media\.addContent filled'
keys F5
expect "upload: content added" 'Result: media\.addContent'
expect "upload: the entry answered" '<objectType>KalturaMediaEntry</objectType>'
current="upload: the entry's content is the file's bytes"
back=$SCRATCH/back.bin
if curl -sS -o "$back" "$base/p/$pid/sp/${pid}00/raw/entry_id/$entry/version/0" &&
	cmp -s "$back" "$SCRATCH/home/up/clip.bin"; then pass; else
	fail "$base/p/$pid/sp/${pid}00/raw/entry_id/$entry/version/0: $(wc -c <"$back" 2>/dev/null) bytes"
fi
keys F10
expect "upload: quit" '^EXITED=0$'
