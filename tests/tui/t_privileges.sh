# The privilege builder: Enter on session.start's privileges field opens a checklist with what
# each privilege means; items turn on (asking for a value where one is needed) and the first
# line puts the composed string in the field; typing the string by hand still works, and the
# builder parses what is there.
opened
open_action session start
expect "session.start form" 'Parameters: session\.start'
keys Down Down Down Down Down
expect "privileges row" '>\[ \] privileges \(string\)'
keys Enter
expect "the builder opens" 'privileges: Enter turns one on or off'
expect "meanings shown" 'disableentitlement  Entitlement enforcement off'
expect "nothing on yet" 'Use: \(no privileges\)'
# the chooser filters as one types: disableentitlement on
type_text "disableent"
keys Enter
expect "disableentitlement on" 'Use: disableentitlement'
expect "checked" '\[x\] disableentitlement'
# privacycontext needs a value: a prompt asks for it
keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
type_text "privacycon"
keys Enter
expect "asks for the value" 'privacycontext \(CONTEXT\):'
type_text "MS"
keys Enter
expect "both on, in order" 'Use: disableentitlement,privacycontext:MS'
# enableentitlement turns disableentitlement off
keys C-u
type_text "enableent"
keys Enter
expect "the switches exclude each other" 'Use: privacycontext:MS,enableentitlement'
keys C-u
type_text "Use:"
keys Enter
expect "into the field" '^privileges: privacycontext:MS,enableentitlement'
expect "the field holds it" '\[x\] privileges \(string\) +privacycontext:MS,enableentitle'
# typed by hand (typing replaces the value), then parsed by the builder
type_text "sview:0_abc"
keys Enter
expect "typed by hand" 'privileges \(string\) +sview:0_abc$'
keys C-b
expect "C-b opens it too, parsed" '\[x\] sview:0_abc  May play the entries 0_abc'
keys Escape
expect "Esc leaves it" 'privileges: unchanged'
expect "as it was" 'privileges \(string\) +sview:0_abc$'
keys F10
expect "quit" '^EXITED=0$'
