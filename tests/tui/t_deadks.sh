# A dead KS: session.end marks it in the top bar, the next session.start goes without it (so it
# works instead of failing with INVALID_KS -6,LOGOUT), and F12 empties the session field.
opened
open_action session start
keys Down Down Right
expect "type is ADMIN" 'type \(KalturaSessionType\) +ADMIN \(2\)'
keys F5
expect "an ADMIN KS" '│ ADMIN \(no user\) expires in '
keys BTab BTab
open_action session end
keys F5
expect "session.end done" 'session\.end: done in'
expect "the KS is marked ended" '│ ADMIN \(no user\) ENDED \(F12 clears\)'
# an action that needs a KS still sends it, and the server agrees it is dead
keys BTab BTab
open_action category list
keys F5
expect "the sandbox refuses it" 'INVALID_KS'
expect "the hint is not circular" 'Hint: The KS was ended by session\.end: send session\.start again'
expect "still marked" 'ENDED \(F12 clears\)'
# session.start works: the dead KS is left out
keys BTab BTab
open_action session start
keys F5
expect "a new KS, the dead one left out" 'session\.start: the KS was copied into the session field \(the dead KS was left out\)'
expect "alive again" '│ ADMIN \(no user\) expires in '
expect_not "no INVALID_KS" 'INVALID_KS'
# F12 empties the field
keys F12
expect "no KS" '│ partner 100 │ no KS'
expect "said so" 'The session field is empty'
keys F10
expect "quit" '^EXITED=0$'
