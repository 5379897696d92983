#!/bin/sh
# A record made with n and then left is the one home highlights (README's
# keys table: a record left moves to the top, the highlight staying on
# it), so d, l and f act on it and not on the record highlighted before:
# a dimension-grid record first, then a new IAS focus group answered and
# left with Esc; d names the focus group, l opens its notes log, d y
# deletes it and keeps the grid.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
LIVE="SELECT form_id FROM records WHERE deleted = 0 ORDER BY form_id"
prompt_has() { # prompt_has REGEX: a line of the screen matches it
    screen | grep -q -- "$1"
}

start_app --
wait_for "Records in this file: 0"
keys n Down Enter                    # the second form: the dimension grid
wait_for "Visit"
keys Down Space Tab Tab              # Bulgaria
type_text "Школа Б"; keys Tab
check "the grid's school saved" wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Школа Б"
keys Escape
wait_for "Records in this file: 1"

# a new record of the other form, answered, then left
keys n Up Enter                      # the first form: IAS focus group
wait_for "Session"
keys Down Space                      # Finland
check "the focus group's country saved" \
    wait_q "SELECT value FROM answers WHERE field = '/data/session/country'" "FI"
keys Escape Escape
wait_for "Records in this file: 2"

# d names the new record: the highlight moved to it
keys d
wait_for "(y/n)"
check "d names the new record" prompt_has 'Delete .*(IAS focus group)? (y/n)'
check "d does not name the grid" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Delete Школа Б'"
keys n
check "n deletes nothing" wait_for "Nothing was deleted."
check "both records kept" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 2

# l opens the new record's notes log (the grid has none)
keys l
check "l opens the focus group's notes log" wait_for "Nobody is in the roster yet"
keys Escape
wait_for "Records in this file: 2"

# d y deletes the new record, not the grid
keys d
wait_for "(y/n)"
keys y
check "d y deleted the focus group, not the grid" wait_q "$LIVE" "imas-dimension-grid"
wait_for "The record was deleted."
keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0
finish
