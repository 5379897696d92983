#!/bin/sh
# F1 works where the grid's cell editor or a choice list is open and is
# accurate (issue 17): it lists the editor's and the list's own keys,
# grid Tab as the next cell, q on home, and explains the row counter and
# the capture clock; any key closes it and the editor keeps its text.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
start_app --
wait_for "Records in this file: 0"
keys F1
check "home: F1 lists q with F10" wait_for "F10 q"
keys Escape
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter
wait_for "Visit"
# a choice question's list on a page
keys F1
check "choice question: F1 opens" wait_for "Keys on this screen"
check "choice question: Space is listed" wait_for "Tick or untick a choice"
keys Right                              # closes the help, nothing else
check "the help closed" sh -c "sleep 0.3; ! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Keys on this screen'"
keys Down Space Tab
type_text "Sofia"; keys Tab
type_text "School A"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes"
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Legal framework"

keys F1
check "grid: F1 opens" wait_for "Keys on this screen"
check "grid: Tab is the next cell" wait_for "Next cell, to the right"
check "grid: the row counter is explained" wait_for "Beside a dimension: its cells"
keys Escape
wait_for "Legal framework"
# the jump list: Enter goes to the question (it opens no record)
keys F2
wait_for "Legal framework › Status quo"
keys F1
check "jump list: F1 says Enter goes to the question" wait_for "Go to the selected question"
keys Escape
wait_for "Legal framework › Status quo"
keys Escape
wait_for "Del Clear"

# the cell editor
keys Enter
wait_for "F4 Discard"
type_text "Half typed"
keys F1
check "cell editor: F1 opens" wait_for "Keys on this screen"
check "cell editor: Esc saves and closes" wait_for "Close the editor (saves the text)"
check "cell editor: F4 discards" wait_for "Discard: close the editor"
check "cell editor: the text field's keys follow" wait_for "In the text field:"
keys Right                              # any key closes the help
check "the editor is still open with its text" wait_for "Half typed"
check "and no key was lost into it" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Keys on this screen'"
keys Escape
check "Esc saved the cell" \
    wait_q "SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo'" "Half typed"

# a choice list (the gap column)
keys Right Right
keys Enter
wait_for "( ) 1"
keys F1
check "choice list: F1 opens" wait_for "Keys on this screen"
check "choice list: Enter chooses and closes" wait_for "Choose the selected value and close the list"
check "choice list: Esc keeps the value" wait_for "Close the list: the cell keeps its value"
keys Escape
check "the list is still open after the help" wait_for "( ) 1"
keys Escape
wait_for "Del Clear"

# the capture screen's clock
keys Escape
wait_for "Records in this file: 1"
keys n; wait_for "IAS focus group  (ias"; keys Up
keys Enter
wait_for "Session"
keys Escape
wait_for "Records in this file: 2"
keys Home
keys l
wait_for "Nobody is in the roster yet"
keys F1
check "capture: the clock is explained" wait_for "hh:mm:ss   Clock: time since"
keys Escape
finish
