#!/bin/sh
# A merge into the file from another shell shows up in an open record
# (issue 17): the values shown on a question page and in the grid are read
# again within a second, without a key or reopening the record; text being
# typed into a field whose answer the merge changed is kept (and saved
# when the field is left), with a message saying so.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$T/survey.sqlite"
PARTNER="$T/partner.sqlite"

# our record: the visit page and one grid cell
start_app -- "$DB"
wait_for "A new survey file was made"
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
type_text "Old status"; keys Escape
wait_q "SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo'" "Old status" ||
    { fail "the grid cell was not saved"; finish; }
keys F10
wait_exit 10 >/dev/null
sqlite3 "$DB" ".backup '$PARTNER'"

# the partner's laptop changes the region, the school and the grid cell
start_app XDG_STATE_HOME="$T/state2" IMAS_SURVEY_DEVICE_NAME=partner -- "$PARTNER"
wait_for "Enter continues where you left off" 10
keys Escape; keys PgUp; keys PgUp
keys Enter
wait_for "Legal framework" 10
keys Enter; keys C-u; type_text "New status"; keys Escape
keys PgUp; keys PgUp
wait_for "Visit"
keys Tab C-u; type_text "Plovdiv"; keys Tab C-u; type_text "School B"; keys Tab
DBP=$DB; DB=$PARTNER
wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "School B" ||
    { fail "the partner's edit was not saved"; finish; }
keys F10
wait_exit 10 >/dev/null
sqlite3 "$PARTNER" ".backup '$T/partner1.sqlite'"
# and later the grid cell once more
start_app XDG_STATE_HOME="$T/state2" IMAS_SURVEY_DEVICE_NAME=partner -- "$PARTNER"
wait_for "Enter continues where you left off" 10
keys Enter
wait_for "Visit" 10
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Legal framework"
keys Enter; keys C-u; type_text "Newer status"; keys Escape
wait_q "SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo'" \
    "Newer status" || { fail "the partner's second edit was not saved"; finish; }
DB=$DBP
keys F10
wait_exit 10 >/dev/null

# our record open on the visit page, the user typing into the school
start_app -- "$DB"
wait_for "Enter continues where you left off" 10
keys PgUp PgUp Enter
wait_for "Legal framework" 10
keys PgUp; keys PgUp
wait_for "Visit"
keys Tab Tab
type_text " (typed)"
wait_for "School A (typed)"
timeout 60 "$BIN" --merge --into "$DB" "$T/partner1.sqlite" >"$T/out" 2>&1 || fail "merge: $(cat "$T/out")"
check "the merge changed the file" wait_q \
    "SELECT value FROM answers WHERE field = '/data/visit/region'" "Plovdiv"
check "the new value shows up without a key" wait_for "Plovdiv" 3
check "the text being typed is kept" wait_for "School A (typed)" 1
check "with a message that the stored answer changed" wait_for "Merged meanwhile: \"School B\"" 1
keys Tab
check "leaving the field saves the typed text" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "School A (typed)"

# the grid page open, the cursor on another cell: the merged cell shows
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Legal framework"
keys Down
wait_for "New status"
timeout 60 "$BIN" --merge --into "$DB" "$PARTNER" >"$T/out" 2>&1 || fail "merge: $(cat "$T/out")"
check "the second merge changed the file" wait_q \
    "SELECT value FROM answers WHERE field = '/data/grid/legal_framework/status_quo'" "Newer status"
check "the grid shows the new value without a key" wait_for "Newer status" 3
check "and says the page changed" wait_for "Updated: a merge" 1
finish
