# The lists rank what is typed (the same name, then a prefix, then a word start, then anywhere)
# and never match a plugin's hidden wire id; the lists, the actions and the form always show
# the same service, even after a filter that matched nothing.
start --schema "$root/tests/data/schema-ranking.xml"
expect "welcome" 'Welcome to ktestme'
keys Enter
type_text "user"
expect "user before adminUser" '^>user  '
type_text "R"
expect "userR: userRole" '^>userRole'
keys Escape
type_text "media"
expect "media before externalMedia" '^>media  '
expect "then mediaInfo (a prefix)" '^ mediaInfo'
keys Escape
type_text "cat"
expect "cat: category, not businessProcessCase by its id" '^>category  '
expect_not "businessProcessCase does not match" 'businessProcessCase'
keys Escape
type_text "info"
expect "a word inside a name" '^>mediaInfo'
keys F10
expect "quit" '^EXITED=0$'

# a filter that matches nothing, then Esc: the list is back on the service the form shows
opened
open_action session start
keys BTab BTab
expect "services focused" 'Services'
type_text "zzzz"
expect "nothing matches" 'nothing matches'
keys Escape
expect "the cursor is on session again" '^>session '
expect "the form is still session.start" 'Parameters: session\.start'
keys Enter
expect "Enter opens session's actions" '^ Actions (: session|/start) '
expect "and start's form" 'Parameters: session\.start'
keys F10
expect "quit" '^EXITED=0$'
