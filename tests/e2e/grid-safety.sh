#!/bin/sh
# Nothing in the grid is wiped or garbled by one key (issue 17): Del on a
# cell asks first, and n keeps the text; y clears it as a new revision,
# the text kept in the history. The cell editor's F4 (and Ctrl-G)
# discards the edit; line breaks typed after the end of a cell's text are
# not stored.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
SQ="SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo' AND deleted = 0"
esc() {
    wait_for "F4 Discard" 10 >/dev/null # the editor is open: Esc goes to it
    keys Escape; wait_for "Enter Edit" 10 >/dev/null
}

start_app --
wait_for "Records in this file: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter
wait_for "Visit"
keys Down Space Tab
type_text "София-град"; keys Tab
type_text "Училище А"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes"
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Dimension grid"
wait_for "Legal framework" || finish
check "the hint bar says Del clears" wait_for "Del Clear"

type_text "Законът е от 2003."
check "the cell editor shows how to discard" wait_for "F4 Discard"
esc
check "the text is saved" wait_q "$SQ" "Законът е от 2003."

# Del asks; another key is refused (the question stays); n keeps the text
keys DC
wait_for "Clear this cell?"
keys z
check "another key is refused" wait_for "Please answer y (yes) or n (no)."
check "the Del question stays open" wait_for "Clear this cell?"
keys n
wait_for "Nothing was cleared."
sleep 0.3
check "n keeps the cell" wait_q "$SQ" "Законът е от 2003."

# F4 discards what was typed in the editor
keys Enter; wait_for "F4 Discard"
type_text " ГРЕШКА"
keys F4
wait_for "The edit was discarded"
sleep 0.3
check "F4 discards the edit" wait_q "$SQ" "Законът е от 2003."
keys Enter; wait_for "F4 Discard"
type_text " ГРЕШКА"
keys C-g
wait_for "The edit was discarded"
check "Ctrl-G discards too" wait_q "$SQ" "Законът е от 2003."

# trailing line breaks typed by mistake are not stored
keys Enter; wait_for "F4 Discard"
type_text " Изменен 2019."
keys Enter Enter "  " Enter
esc
check "trailing line breaks dropped" wait_q "$SQ" "Законът е от 2003. Изменен 2019."

# Del, y: cleared as a new revision, the old text in the history
keys DC
wait_for "Clear this cell?"
keys y
check "y clears the cell" wait_q "SELECT count(*) FROM answers WHERE field = '/data/grid/legal_framework/status_quo' AND deleted = 0 AND value IS NOT NULL AND value <> ''" 0
check "the cleared text is in the history" \
    wait_q "SELECT count(*) FROM answers_versions WHERE field = '/data/grid/legal_framework/status_quo' AND value = 'Законът е от 2003. Изменен 2019.'" 1
wait_for "The cell was cleared"
finish
