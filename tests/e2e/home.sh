#!/bin/sh
# The program starts on its default file, shows the home screen with the
# shipped forms, follows resizes, and leaves with F10 and with q.
. "$(dirname "$0")/lib.sh"

start_app --
wait_for "Records in this file: 0"
wait_for "Forms available: 2"
wait_for "IMAS dimension grid"
wait_for "IAS focus group"
wait_for "F10 Quit"
# the hint bar at 80 columns: whole hints only, the frequent ones first
check "hint bar ends with a whole hint" \
    test "$(screen | tail -n 1 | sed 's/ *$//')" = \
    "F1 Help  F10 Quit  Enter Open  n New  d Delete  f Finalize  F4 Filter  s Sort"
f="$XDG_DATA_HOME/imas-survey/survey.sqlite"
check "default file created" test -f "$f"
check "file is mode 0600" test "$(stat -c %a "$f")" = 600
check "directory is mode 0700" test "$(stat -c %a "$(dirname "$f")")" = 700
check "cursor on the first row" test "$(cursor_pos)" = "3 2"

keys F1
wait_for "Keys on this screen"
keys Escape
wait_for "Records in this file"

resize 60 20
wait_for "Terminal too small"
resize 100 30
wait_for "Records in this file: 0"

keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0

# a FILE that does not exist yet, in an existing directory: made, and home says so
tm kill-server
mkdir "$T/visits"
start_app -- "$T/visits/sofia.sqlite"
wait_for "A new survey file was made: $T/visits/sofia.sqlite"
check "named file created" test -f "$T/visits/sofia.sqlite"
check "named file is mode 0600" test "$(stat -c %a "$T/visits/sofia.sqlite")" = 600
keys q
check "q exits" test "$(wait_exit)" = 0
start_app -- "$T/visits/sofia.sqlite"
wait_for "Records in this file: 0"
check "opened again: not new" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'new survey file'"
keys q
check "q exits again" test "$(wait_exit)" = 0

# two records: leaving the second moves it to the top, and the highlight
# follows it; the delete prompt names it, and y deletes that one
tm kill-server
DB="$T/two.sqlite"
start_app -- "$DB"
wait_for "Records in this file: 0"
for school in "School A" "School B"; do
    keys n Down Enter
    wait_for "Visit"
    keys Down Space Tab Tab
    type_text "$school"; keys Tab
    check "$school saved" wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/school' AND value = '$school'" 1
    keys Escape
    wait_for "Records in this file"
done
wait_for "Records in this file: 2"
check "the last edited first" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 4p | grep -q 'School B'"
keys Down Enter
wait_for "Visit"
keys Tab
type_text "Варна"; keys Tab
check "region saved" wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/region'" 1
keys Escape
wait_for "Records in this file: 2"
check "the record left is now first" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 4p | grep -q 'School A'"
check "and still highlighted" test "$(cursor_pos)" = "3 2"
keys d
wait_for "Delete School A"
keys x
wait_for "Please answer y (yes) or n (no)."
check "x is refused: the question stays open" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Delete School A'"
check "and nothing was deleted" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 2
keys n
wait_for "Nothing was deleted."
keys d
wait_for "Delete School A"
keys Escape
gone=1
for _ in $(seq 1 100); do
    screen | grep -q 'Delete School A' || { gone=0; break; }
    sleep 0.1
done
check "Esc answers no: the question closes" test "$gone" = 0
check "and Esc deleted nothing" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 2
keys d
wait_for "Delete School A"
keys y
A="(SELECT record_uuid FROM answers WHERE field = '/data/visit/school' AND value = 'School A')"
check "y deleted the record named" wait_q "SELECT deleted FROM records WHERE record_uuid = $A" 1
check "the other is kept" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 1
keys q
check "q exits after the delete" test "$(wait_exit)" = 0

# again, on the default file, leaving with q, under NO_COLOR
tm kill-server
start_app NO_COLOR=1 --
wait_for "Records in this file: 0"
# the form chooser: the cursor on the highlighted form, moving with it
# (a screen reader reads that line)
keys n
wait_for "IAS focus group"
first=$(screen | grep -n "(imas-\|(ias-" | head -1 | cut -d: -f1)
check "cursor on the first form" test "$(cursor_pos)" = "$((first - 1)) 2"
keys Down
i=0; while [ "$(cursor_pos)" = "$((first - 1)) 2" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "cursor on the next form" test "$(cursor_pos)" = "$first 2"
keys F1
check "chooser F1: Enter starts a new record" wait_for "Start: a new record of the highlighted form"
check "chooser F1: not the list's Open" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Open: fill in'"
keys Escape
wait_for "IAS focus group"
keys Escape
keys q
check "q exits with status 0" test "$(wait_exit)" = 0

# keys typed while only the too-small notice shows do nothing unseen
# (n Enter would make a record and open it); F10 still quits
tm kill-server
DB="$T/small.sqlite"
start_app -- "$DB"
wait_for "Records in this file: 0"
resize 60 20
wait_for "Terminal too small"
keys n Enter
resize 80 24
check "keys typed too small did nothing" wait_for "Records in this file: 0"
keys n Enter
wait_for "Session"
keys Escape
wait_for "Records in this file: 1"
check "only the record made in sight is in the file" wait_q "SELECT count(*) FROM records" 1
resize 60 20
wait_for "Terminal too small"
keys F10
check "F10 quits while too small" test "$(wait_exit)" = 0
finish
