#!/bin/sh
# Nothing typed is lost (issue 17): the text in an open cell editor or
# text field is kept as a draft (in the meta table, not an answer
# revision) a moment after typing stops; after kill -9 the next start
# puts it back in its cell or field, and leaving it saves it as usual.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
EVIDENCE="Доказателства: интервюта с пет асистенти и директора, протокол 12."
DRAFT="SELECT count(*) FROM meta WHERE key = 'ui.draft' AND value LIKE '%протокол 12.'"
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
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes"
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Dimension grid"
wait_for "Legal framework" || finish

# a long text in the open cell editor, then kill -9
type_text "$EVIDENCE"
check "the draft is kept a moment after typing stops" wait_q "$DRAFT" 1
check "the draft is no answer revision" \
    wait_q "SELECT count(*) FROM answers_versions WHERE value LIKE '%протокол 12.%'" 0
kill9
check "not saved as an answer" \
    wait_q "SELECT count(*) FROM answers WHERE value LIKE '%протокол 12.%'" 0

start_app --
# a start shows home with the record highlighted; Enter goes back to it
wait_for "Enter continues where you left off" 10
keys Enter
check "the next start offers it back" wait_for "from the last run is back" 10
check "in the cell editor" wait_for "F4 Discard"
check "with its text" wait_for "протокол 12."
keys Escape
check "Esc saves it as the cell's answer" \
    wait_q "SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo'" "$EVIDENCE"
check "the draft is forgotten once saved" \
    wait_q "SELECT count(*) FROM meta WHERE key = 'ui.draft'" 0

# a text field on a page: the same
keys Escape
wait_for "Records in this file: 1"
keys Enter
wait_for "Visit"
keys Tab Tab
wait_for "A pseudonym such as"
type_text " (второ)"
check "the field's draft is kept" \
    wait_q "SELECT count(*) FROM meta WHERE key = 'ui.draft' AND value LIKE '%Училище А (второ)'" 1
kill9
start_app --
wait_for "Enter continues where you left off" 10
keys Enter
check "the field's text is back" wait_for "Училище А (второ)" 10
keys Tab
check "Tab saves it" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Училище А (второ)"
check "the draft is forgotten" wait_q "SELECT count(*) FROM meta WHERE key = 'ui.draft'" 0
finish
