#!/bin/sh
# The questionnaire as a user meets it: a constraint keeps the user on the
# field with the form's message; finalize lists what is missing, each a
# jump; reopen asks why; a restart starts on home with the record
# highlighted and Enter returns to the same question (keys typed for home
# after a restart never reach the record);
# resizing mid-edit keeps what was typed; NO_COLOR; delete asks first.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"

start_app --
wait_for "Records in this file: 0"
keys n Down Enter
wait_for "Visit"
keys Down Space Tab Tab Tab          # Bulgaria; region and school left empty
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "99"; keys Tab
wait_for "Enter a number from 1 to 50."
check "invalid answer not stored" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/n_respondents'" 0
keys BSpace BSpace; type_text "4"; keys Tab
keys Down Space                      # consent: no
wait_for "record nothing more"
check "stored once valid" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/n_respondents'" 4

keys F9
wait_for "Not finalized: fix these first"
wait_for "Give the school a pseudonym."
check "only the school is missing" sh -c "tmux -S '$SOCK' capture-pane -p -t 0 | grep -c 'pseudonym' | grep -qx 1"
keys Enter
wait_for "A pseudonym such as"
type_text "Школа Б"; keys F9
wait_for "Finalize this record?"
keys y
wait_for "The record is finalized."
check "finalized in the file" wait_q "SELECT state FROM records" finalized

keys Escape
wait_for "Records in this file: 1"
wait_for "Bulgaria"
wait_for "Школа Б"
wait_for "finalized"
keys r
wait_for "Why reopen "
type_text "typo in the school"; keys Enter
wait_for "The record is a draft again."
check "reopen reason audited" \
    wait_q "SELECT reason FROM audit WHERE action = 'reopen'" "typo in the school"

# F10 leaves from inside; the next start returns to the same question
keys Enter
wait_for "Visit"
keys Tab
type_text "Пловдив"
keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0
check "the text being typed was saved on F10" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/region'" "Пловдив"
tm kill-server
start_app --
wait_for "Enter continues where you left off"
check "restart starts on home, the record highlighted" test "$(cursor_pos)" = "3 2"
keys Enter
wait_for "Visit"
check "Enter returns to the question" sh -c "tmux -S '$SOCK' capture-pane -p -t 0 | grep -q '^ >  Region'"
check "cursor on the field" test "$(cursor_pos)" = "6 11"

# resize mid-edit: what is typed stays on screen; too small shows a notice
type_text " обл."
# keys typed while the terminal is too small do nothing (README): wait
# until what was typed is on screen before shrinking it
wait_for "Пловдив обл."
resize 60 20
wait_for "Terminal too small"
resize 100 30
wait_for "Пловдив обл."
resize 80 24
keys Tab
wait_for "School"
check "edit made across resizes saved" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/region'" "Пловдив обл."

# Esc goes home and forgets the position; delete asks first
keys Escape
wait_for "Records in this file: 1"
keys d
wait_for "Delete Школа Б 2025-03-14 (IMAS dimension grid)? (y/n)"
keys n
wait_for "Nothing was deleted."
keys d y
wait_for "Records in this file: 0"
check "delete is a tombstone" wait_q "SELECT deleted FROM records" 1
keys q
check "q exits" test "$(wait_exit)" = 0

# keys typed for home right after a restart go to home, not into the record
start_app --
wait_for "Records in this file: 0"
keys n Down Enter
wait_for "Visit"
keys Down Space Tab
type_text "Варна"; keys Tab
LIVE="record_uuid IN (SELECT record_uuid FROM records WHERE deleted = 0)"
check "region typed" wait_q "SELECT value FROM answers WHERE field = '/data/visit/region' AND $LIVE" "Варна"
keys F10
check "F10 exits" test "$(wait_exit)" = 0
tm kill-server
start_app --
wait_for "Enter continues where you left off"
keys n Enter
check "n Enter on home starts a new record" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 2
check "nothing typed into the old record" \
    wait_q "SELECT count(*) FROM answers WHERE $LIVE AND (value IN ('n', 'nn') OR (field = '/data/visit/region' AND value <> 'Варна'))" 0
keys F10
check "F10 exits after n Enter" test "$(wait_exit)" = 0

# colours only without NO_COLOR
tm kill-server
start_app --
wait_for "Records in this file"
check "colours used by default" sh -c "tmux -S '$SOCK' capture-pane -e -p -t 0 | grep -q '\[[0-9;]*4[0-7]m'"
tm kill-server
start_app NO_COLOR=1 --
wait_for "Records in this file"
check "no colour under NO_COLOR" sh -c "! tmux -S '$SOCK' capture-pane -e -p -t 0 | grep -q '\[[0-9;]*[34][0-7]m'"
keys F10
check "F10 exits from home" test "$(wait_exit)" = 0
finish
