#!/bin/sh
# At 120x40 the open cell editor leaves the grid its rows (issue 17): all
# twelve dimensions stay in sight while a cell is edited, and at 80x24 the
# row being edited stays in sight above the editor.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
COLS=120 ROWS=40 start_app --
wait_for "Records in this file: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter
wait_for "Visit"
keys Down Space Tab
type_text "Sofia"; keys Tab
type_text "School A"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes"
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Legal framework"
check "the grid shows its 12th dimension" wait_for "Practice versus"
keys Enter
wait_for "F4 Discard"
type_text "Status typed in the editor"
check "the editor is open with the text" wait_for "Status typed in the editor"
check "the first dimension is still shown" wait_for "Legal framework" 1
check "the 12th dimension is still shown with the editor open" wait_for "Practice versus" 1
keys Escape
check "Esc saves the cell" wait_q \
    "SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo'" \
    "Status typed in the editor"

# 80x24: a lower row being edited stays in sight above the editor
resize 80 24
wait_for "Legal framework"
keys Down Down Down Down Down Down
keys Enter
wait_for "F4 Discard"
row=$(screen | grep -n "Employment," | grep -v "›" | head -1 | cut -d: -f1)
edit=$(screen | grep -n "Employment, employer and job security ›" | head -1 | cut -d: -f1)
check "the 7th row is shown above the editor (row $row, editor $edit)" \
    sh -c "[ -n '$row' ] && [ -n '$edit' ] && [ '$row' -lt '$edit' ]"
finish
