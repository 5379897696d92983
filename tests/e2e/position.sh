#!/bin/sh
# Where the user was is saved as they move (issue 17): after kill -9 the
# next start's "continue" (Enter on home) goes back to the very question of
# a page, or the very cell of the grid, the user had moved to, not to the
# page's first field. Checked by typing there after the restart and
# polling the file for the answer that received the text.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
POS="SELECT count(*) FROM meta WHERE key = 'ui.position' AND value LIKE"
kill9() {
    pid=$(pgrep -P "$(tm display -p -t 0 '#{pane_pid}')" imas-survey)
    kill -9 "$pid"
    wait_exit 5 >/dev/null
}

start_app --
wait_for "Records in this file: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter
wait_for "Visit"
keys Down Space Tab
type_text "София-град"; keys Tab
type_text "Училище А"; keys Tab
# the 4th question of the page (visit date) has the cursor, nothing typed
check "the position follows the cursor within a page" \
    wait_q "$POS '%/data/visit/visit_date%'" 1
kill9

start_app --
wait_for "Enter continues where you left off" 10
keys Enter
wait_for "Visit" 10
type_text "2025-03-14"; keys Tab
check "continue goes back to that question (the text lands in it)" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/visit_date'" "2025-03-14"
check "not in the page's first question" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/region' AND value LIKE '%2025%'" 0
keys Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes"
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Dimension grid"
wait_for "Legal framework" || finish

# the grid: a cell (funding × recommendation), moved to without typing
keys Down Right Right Right
check "the position follows the grid cell" \
    wait_q "$POS '%/data/grid/funding/recommendation%'" 1
kill9

start_app --
wait_for "Enter continues where you left off" 10
keys Enter
wait_for "Legal framework" 10
type_text "Обучение на асистентите"
keys Escape
check "continue goes back to that cell (the text lands in it)" \
    wait_q "SELECT value FROM answers WHERE field = '/data/grid/funding/recommendation'" \
    "Обучение на асистентите"
check "not in the grid's first cell" \
    wait_q "SELECT count(*) FROM answers WHERE value LIKE '%асистентите%'" 1

# a move back (S-Tab) is followed too
keys Escape; wait_for "Records in this file: 1"
keys Enter; wait_for "Visit" 10
keys Tab Tab Tab BTab
check "the position follows a move back" wait_q "$POS '%/data/visit/school%'" 1
kill9
start_app --
wait_for "Enter continues where you left off" 10
keys Enter; wait_for "Visit" 10
type_text " (2)"; keys Tab
check "continue goes back to it" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Училище А (2)"
finish
