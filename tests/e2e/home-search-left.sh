#!/bin/sh
# A record opened from the search screen is the one home highlights once
# the search is closed (as for a record opened from home itself): two
# grid records, the newer highlighted; a search opens the older one's
# answer; back home, d names the older record.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
start_app --
wait_for "Records in this file: 0"
for school in "Школа Алфа" "Школа Бета"; do
    keys n Down Enter                # the dimension grid
    wait_for "Visit"
    keys Down Space Tab Tab          # Bulgaria
    type_text "$school"; keys Tab
    wait_q "SELECT count(*) FROM answers WHERE value = '$school'" 1
    keys Escape
done
wait_for "Records in this file: 2"
keys d
check "the newer record is highlighted" wait_for "Delete Школа Бета"
keys n
wait_for "Nothing was deleted."

keys /
wait_for "Search:"
type_text "алфа"
wait_for "1 result"
keys Enter                           # opens the older record's answer
wait_for "Visit"
keys Escape                          # back to the search
wait_for "Search:"
keys Escape                          # back home
wait_for "Records in this file: 2"
keys d
check "d names the record opened from the search" wait_for "Delete Школа Алфа"
keys n
wait_for "Nothing was deleted."
check "nothing deleted" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 2
keys q
check "exit 0" test "$(wait_exit)" = 0
finish
