#!/bin/sh
# Home acts on the record it names (issue 17): f asks first like F9,
# naming the record and saying what finalizing means (n keeps the draft,
# y finalizes or lists what is missing); the reason a record was reopened
# is shown under the list while it is highlighted; at 80 columns the hint
# bar shows d Delete and f Finalize in every language.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
STATE="SELECT state FROM records"

start_app --
wait_for "Records in this file: 0"
keys n Down Enter
wait_for "Visit"
keys Down Space Tab Tab              # Bulgaria
type_text "Школа Б"; keys Tab
check "the school saved" wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Школа Б"
keys Escape
wait_for "Records in this file: 1"

# f asks first, naming the record and saying what finalizing means
keys f
wait_for "(y/n)"
check "f names the record" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Finalize .*Школа Б.*(y/n)'"
check "f says what finalizing means" wait_for "reopen it on home with r"
keys n
wait_for "Not finalized: the record is still a draft."
check "n keeps the draft" wait_q "$STATE" draft
keys f
wait_for "(y/n)"
keys y
check "y finalizes, or lists what is missing" wait_for "Not finalized: fix these first"
keys Escape Escape
wait_for "Records in this file: 1"

# a finalized record reopened: its reason is shown on home
q "UPDATE records SET state = 'finalized'"
tm kill-server
start_app --
wait_for "Records in this file: 1"
keys r
wait_for "Why reopen"
type_text "wrong school in Sofia"
keys Enter
check "reopened" wait_q "$STATE" draft
wait_for "The record is a draft again."
keys Down   # moving: the row under the list tells about the highlighted record
check "home shows the reason" wait_for "by tester: wrong school in Sofia"
keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0

# the hint bar at 80 columns, in every language, names d and f
for l in en de bg pt sk nl fi nb pl sl; do
    tm kill-server
    start_app -- --lang "$l"
    wait_for "F1 "
    bar=$(screen | tail -n 1)
    check "$l: hint bar has d and f: $bar" sh -c "echo '$bar' | grep -q ' d [^ ]' && echo '$bar' | grep -q ' f [^ ]'"
    keys F10
    wait_exit >/dev/null
done
finish
