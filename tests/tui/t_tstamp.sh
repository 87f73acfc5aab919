# Unix times in a result read as dates beside the number (UTC; the console runs with TZ=UTC);
# the text itself, as copied or saved, stays as the server sent it.
opened
open_action session start
keys Down Down Right
expect "tstamp: ADMIN" 'type \(KalturaSessionType\) +ADMIN \(2\)'
keys F5
expect "tstamp: KS captured" 'session\.start: the KS was copied into the session field'
keys BTab BTab Escape
open_action category list
keys F5
expect "tstamp: listed" 'KalturaCategoryListResponse'
keys Tab
keys /
type_text "createdAt"
keys Enter
expect "tstamp: createdAt as a date" '<createdAt>[0-9]+</createdAt>  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} UTC'
keys /
keys C-u
type_text "updatedAt"
keys Enter
expect "tstamp: updatedAt as a date" '<updatedAt>[0-9]+</updatedAt>  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC'
expect_not "tstamp: ids are not dates" '<id>[0-9]+</id>  [0-9]{4}-'
keys F10
expect "tstamp: quit" '^EXITED=0$'
