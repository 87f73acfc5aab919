# The frame: welcome panel, help, region switch, resizing, quitting.
start
expect "welcome panel" 'Welcome to ktestme'
expect "welcome names the sandbox" 'endpoint "local": http://127\.0\.0\.1:[0-9]+'
expect "top bar" '^ ktestme │ local http://127\.0\.0\.1:[0-9]+ │ partner 100 │ no KS'
keys Enter
expect_not "Enter closes the welcome panel" 'Welcome to ktestme'
expect "service list" 'Services \([0-9]+\)'

# F1: help generated from the key table
keys F1
expect "F1 shows help" 'Help: keys'
expect "help lists F5" 'F5, C-r +Send the request'
keys Escape
expect_not "Esc closes help" 'Help: keys'

# F2: switch region; the endpoint in the top bar changes
keys F2
expect "region chooser" 'Region or endpoint'
type_text "eu"
keys Enter
expect "endpoint is eu" '^ ktestme │ eu https://api\.eu\.kaltura\.com │'
keys F2
expect "region chooser again" 'Region or endpoint'
type_text "local"
keys Enter
expect "endpoint is local again" '^ ktestme │ local http://127\.0\.0\.1:[0-9]+ │'

# a custom URL, then a bad one
keys F2
type_text "custom"
keys Enter
expect "URL prompt" 'Service URL:'
keys C-u
type_text "ftp://nowhere"
keys Enter
expect "bad URL refused in the status line" 'ftp://nowhere'
expect "endpoint unchanged" '^ ktestme │ local http://127\.0\.0\.1:[0-9]+ │'

# typing in a list filters it
keys Escape
type_text "categ"
expect "filter in the title" 'Services /categ'
expect "filtered list" '^ categoryUser'
keys Escape
expect "Esc clears the filter" 'Services \([0-9]+\)'

# resize below 80x24 and back
"${TMUX_CMD[@]}" resize-window -t "$TUI" -x 60 -y 20
expect "too small" 'enlarge it to at least 80x24'
"${TMUX_CMD[@]}" resize-window -t "$TUI" -x 100 -y 30
expect "layout back after resize" 'Services \([0-9]+\)'
expect_not "message gone" 'enlarge it'

# F10 quits and gives the terminal back
keys F10
expect "F10 quits with status 0" '^EXITED=0$'
expect_not "the console is gone from the screen" 'Services \('

# Ctrl-Q quits too
opened
keys C-q
expect "Ctrl-Q quits" '^EXITED=0$'

# NO_COLOR still draws everything
KTESTME_ENV="NO_COLOR=1" start
expect "NO_COLOR console" 'Welcome to ktestme'
keys Enter F10
expect "NO_COLOR quits" '^EXITED=0$'

# what cannot start says so in one line, with its exit status, and leaves the terminal alone
start --schema /nonexistent/schema.xml
expect "unreadable schema: exit 66" '^EXITED=66$'
expect "unreadable schema: the reason" '^ktestme: .*nonexistent/schema\.xml'
start --region mars
expect "unknown region: exit 64" '^EXITED=64$'
expect "unknown region: the reason" "^ktestme: .*mars"

# the mouse: a click chooses a service, another a form row, a click on a box toggles it
opened
expect "services" 'Services \([0-9]+\)'
click 3 6 # row 2 is multirequest
expect "clicked service chosen" '^>categoryUser '
expect "its form" 'Parameters: categoryUser\.'
click 40 4
expect "clicked form row" '│>\[ \] userId \(string\)'
click 27 4
expect "clicked box toggles" '│>\[x\] userId \(string\)'
click 40 2
click 40 2
expect "two clicks on the summary open the request fields" '│>▾ request fields'
click 27 6
expect "a click on a request field's box" '│>\[x\] partnerId \(int\)'
keys F10
expect "quit" '^EXITED=0$'

# the sandbox's credentials stay with the sandbox: switching region empties them, coming back
# fills them in again; the form is otherwise kept
opened
open_action session start
expect "secret prefilled" '\[x\] secret \(string\) +•+$'
keys Down Down Right
expect "ADMIN chosen" 'type \(KalturaSessionType\) +ADMIN \(2\)'
keys F2
type_text "eu"
keys Enter
expect "on eu" '│ eu https://api\.eu\.kaltura\.com │'
expect "no sandbox secret for eu" '\[ \] secret \(string\) +required$'
expect "no sandbox partner for eu" '\[ \] partnerId \(int\) +null$'
expect "the form is kept" 'type \(KalturaSessionType\) +ADMIN \(2\)'
keys F2
type_text "local"
keys Enter
expect "secret back on local" '\[x\] secret \(string\) +•+$'
keys F10
expect "quit" '^EXITED=0$'
