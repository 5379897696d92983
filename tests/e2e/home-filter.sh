#!/bin/sh
# Home's filter (F4) and sort (s): three records in different countries;
# the filter narrows the list as it is typed (case-insensitively), Enter
# opens the highlighted record of the filtered list, Esc in the filter
# clears it; s cycles the sort and the highlight stays on its record.
. "$(dirname "$0")/lib.sh"

DB="$T/three.sqlite"
start_app -- "$DB"
wait_for "Records in this file: 0"
# the grid form's countries: Austria first, Bulgaria second, Portugal third
for rec in "0 Wien school" "1 Sofia school" "2 Lisboa school"; do
    downs=${rec%% *}; school=${rec#* }
    keys n Down Enter
    wait_for "Visit"
    i=0; while [ $i -lt "$downs" ]; do keys Down; i=$((i + 1)); done
    keys Space Tab Tab
    type_text "$school"; keys Tab
    check "$school saved" wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/school' AND value = '$school'" 1
    keys Escape
    wait_for "Records in this file"
done
wait_for "Records in this file: 3"
wait_for "sorted by last edit"
row() { screen | sed -n "${1}p"; }
check "newest first: Lisboa" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 4p | grep -q 'Lisboa school'"
check "the hint bar names the filter and the sort" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -n 1 | grep -q 'F4 Filter  s Sort'"

# the filter narrows as it is typed, case-insensitively, over the country
keys F4
wait_for "Filter (Enter keeps, Esc clears):"
type_text "BULG"
wait_for "1 of 3 records"
check "only the Bulgarian record listed" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 4p | grep -q 'Sofia school' && ! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Lisboa school'"
# Enter keeps the filter; Enter again opens the highlighted (filtered) record
keys Enter
wait_for "1 of 3 records"
keys Enter
wait_for "Visit"
keys Tab
type_text "Plovdiv"; keys Tab
SOFIA="(SELECT record_uuid FROM answers WHERE field = '/data/visit/school' AND value = 'Sofia school')"
check "the filtered record was opened" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/region' AND value = 'Plovdiv' AND record_uuid = $SOFIA" 1
keys Escape
wait_for "1 of 3 records"
# Esc in the filter field clears it: every record again
keys F4
wait_for "Filter (Enter keeps, Esc clears):"
keys Escape
wait_for "Records in this file: 3"
check "Sofia (just edited) on top and highlighted" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 4p | grep -q 'Sofia school'"
check "cursor on Sofia" test "$(cursor_pos)" = "3 2"
# a filter over the school, in lower case
keys F4
type_text "lisboa"
wait_for "1 of 3 records"
keys Escape
wait_for "Records in this file: 3"
check "cleared: the highlight stays on Lisboa (now second)" test "$(cursor_pos)" = "4 2"
keys g

# s cycles the sort: form, title, country; the highlight stays on Sofia
keys s
wait_for "sorted by form"
keys s
wait_for "sorted by title"
keys s
wait_for "sorted by country"
check "Austria first" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 4p | grep -q 'Wien school'"
check "Bulgaria second" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 5p | grep -q 'Sofia school'"
check "Portugal third" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 6p | grep -q 'Lisboa school'"
check "the highlight followed Sofia to the second row" test "$(cursor_pos)" = "4 2"
# Enter opens the highlighted record after the re-sort
keys Enter
wait_for "Visit"
keys Tab
keys C-u; type_text "Varna"; keys Tab
check "the highlighted record was opened after the sort" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/region' AND value = 'Varna' AND record_uuid = $SOFIA" 1
keys Escape
wait_for "sorted by country"
# F1 lists both keys
keys F1
wait_for "Keys on this screen"
wait_for "Filter: list only the records"
wait_for "Sort by last edit"
keys Escape
keys q
check "q exits" test "$(wait_exit)" = 0
finish
