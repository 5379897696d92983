#!/bin/sh
# Search folds letters as people type them (SPEC 5.6): a Polish note with
# żłobek and współpraca, typed on the capture screen, is found from home
# by `zlob` and `wspolprac`, typed plain, and F1 says how search matches.
# With more matching notes than a keystroke reads, Page Down reads the rest.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"

start_app --
wait_for "Records in this file: 0"
keys n Enter                         # the first form: IAS focus group
wait_for "Session"
keys Escape
wait_for "Records in this file: 1"
keys l
wait_for "Nobody is in the roster yet"
keys F5; type_text "P1"; keys Enter y
wait_for "1:P1"
keys M-1; type_text "Żłobek w Łodzi: współpraca z rodzicami"; keys Enter
keys M-1; type_text "Szkoła bez barier"; keys Enter
check "both notes saved" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/note/text'" 2
# more notes that match than a keystroke reads (two screenfuls, 20)
i=1; while [ $i -le 30 ]; do keys M-1; type_text "Rodzice $i"; keys Enter; i=$((i + 1)); done
check "30 more notes saved" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/note/text'" 32 30
keys Escape
wait_for "Records in this file: 1"

keys /
wait_for "typed plain: zlob finds Żłobek."
# find QUERY TEXT: QUERY gives one result, showing TEXT (after a query
# with none, so the count on screen is the new query's)
find() {
    keys C-u; type_text "qqqq"
    wait_for "0 results"
    keys C-u; type_text "$1"
    wait_for "1 result"
    check "$1 finds $2" wait_for "$2"
}
find zlob "Żłobek w Łodzi"
find "wspolprac LODZ" "Żłobek w Łodzi"
find "ŻŁOBEK" "Żłobek w Łodzi"
find "żłob" "Żłobek w Łodzi"
find szkola "Szkoła bez barier"
# the first page, then the rest read as the list moves down
keys C-u; type_text "rodzice"
check "the first page says more follow" wait_for "The first 20 results; more below"
i=0; while [ $i -lt 5 ]; do keys NPage; i=$((i + 1)); done
check "moving down reads them all" wait_for "30 results" 10
keys C-u; type_text "zlobx"
wait_for "0 results"
keys F1
wait_for "finds żłobek: accents and ł ø đ ħ ß æ œ þ ı may be typed plain"
wait_for "Each word finds the words that start with it"
check "F1 says PgDn reads more" wait_for 'reads more results while "more below" shows'
keys F1
wait_for "Search:"
find zlob "Żłobek w Łodzi"
keys Enter
wait_for "Enter corrects the selected note"
keys Escape Escape
wait_for "Search:"
keys F10
check "exit status 0" test "$(wait_exit)" = 0
check "the index holds folded text" \
    wait_q "SELECT count(*) FROM search WHERE search MATCH 'zlobek lodzi wspolpraca'" 1
check "the notes have topic codes" \
    wait_q "SELECT count(*) > 0 FROM answers WHERE field = '/data/note/topic' AND value <> ''" 1
check "which the index does not hold, nor the notes' times" \
    wait_q "SELECT count(*) FROM search WHERE search MATCH (SELECT '\"' || value || '\" OR 2026' FROM answers WHERE field = '/data/note/topic' AND value <> '' LIMIT 1)" 0
finish
