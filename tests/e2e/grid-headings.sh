#!/bin/sh
# The dimension grid's headings at 80x24 in German and Bulgarian: a column
# heading wider than its column takes two rows, broken between words
# ("Ebene der" / "Empfehlung", "Ниво на" / "препоръката"), never inside a
# word that fits its column; a dimension's name too.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
DB="$T/grid.sqlite"
# line N of the screen
line() { screen | sed -n "${1}p"; }
# line N holds TEXT, waited for (up to 10 s): the grid may still be
# scrolling to the cell the keys sent went to
has_line() {
    local i=0
    while [ $i -lt 200 ]; do
        line "$1" | grep -qF -- "$2" && return 0
        sleep 0.05; i=$((i + 1))
    done
    return 1
}

start_app LANGUAGE=de -- "$DB"
wait_for "Datensätze in dieser Datei: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter
wait_for "Besuch"
# the visit page as grid.sh fills it; consent "yes" asks the grid
keys Down Space Tab
type_text "Sofia"; keys Tab
type_text "Schule A"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
check "consent is saved" wait_q "SELECT value FROM answers WHERE field = '/data/visit/consent'" yes
keys PgDn PgDn
wait_for "Dimensionsraster"
check "the first headings fit on their row" has_line 3 "Status quo            Zielzustand"
check "a long dimension name breaks between words" has_line 9 "Rolle und"
check "  and goes on below" has_line 10 "Stellung in der"
# to the last columns: "Ebene der Empfehlung" is wider than its column
keys Right Right Right Right Right
wait_for "Ebene der"
check "heading row 1: Ebene der" has_line 3 "<Ebene der    Belege und Quellen"
check "heading row 2: Empfehlung, not a cut word" has_line 4 " Empfehlung"
screen | grep -q "Ebene der E" && fail "a heading is cut inside a word: $(line 3)"
keys F10
test "$(wait_exit)" = 0 || fail "F10 did not quit"

# Bulgarian: the same record, back where it was left (the same columns)
start_app LANGUAGE=bg -- --lang bg "$DB"
wait_for "IMAS dimension grid"
keys Enter
wait_for "Таблица на измеренията"
check "heading row 1: Ниво на" has_line 3 "<Ниво на      Доказателства и"
check "heading row 2: препоръката" has_line 4 " препоръката  източници"
screen | grep -q "Ниво на пре" && fail "a Bulgarian heading is cut inside a word: $(line 3)"
check "a dimension's name breaks between words" has_line 9 "Роля и статус в"
keys F10
test "$(wait_exit)" = 0 || fail "F10 did not quit"
check "file intact" wait_q "PRAGMA quick_check" ok
finish
