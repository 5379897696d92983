#!/bin/sh
# A repeat with jr:count: its list page does not offer F5 (the number of
# entries comes from an earlier answer), neither in the text under the
# count, nor in F1; F5 pressed there says why and adds nothing.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
FORMS="$T/forms"
mkdir -p "$FORMS"
cp "$top_srcdir/tests/data/forms/good-counted.xml" "$FORMS/"
off_screen() { ! screen | grep -qF -- "$1"; }

start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "Counted"
keys Enter
wait_for "How many entries?"
type_text "2"
keys Tab
check "answer saved" wait_q "SELECT count(*) FROM answers WHERE value = '2'" 1
# on to the list's page, the last one (Tab may have left the first page)
for i in 1 2 3 4; do
    screen | grep -qF "page 4/4" && break
    keys PgDn
    sleep 0.3
done
wait_for "This list has 2 entries."
check "no F5 offer on the counted list" off_screen "F5 adds"
check "the list says where its count comes from" wait_for "An earlier answer sets the number"
keys F5
check "F5 says it cannot add" wait_for "sets the number of entries"
check "F5 added nothing" test "$(q "SELECT count(*) FROM items")" = 2
keys F1
wait_for "F1"
check "F1 does not offer F5 here" off_screen "Add an entry"
check "F1 says why" wait_for "Not here: an earlier answer sets"
keys Escape
keys Escape
wait_for "Records in this file: 1"
keys F10
check "exit 0" test "$(wait_exit)" = 0
finish
