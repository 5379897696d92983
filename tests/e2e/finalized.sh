#!/bin/sh
# A finalized record is read-only, and says so (issue 17): F9 on a draft
# says what finalizing means and asks first (n keeps the draft); once
# finalized, the page heading is marked, the hint bar no longer offers F9
# (F1 says it does not finalize here), moving (Tab, PgUp/PgDn, F2, Esc)
# works, and typing, Backspace or Space changes nothing and says why: to
# reopen it on home with r.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
SCHOOL="SELECT value FROM answers WHERE field = '/data/visit/school'"
VERSIONS="SELECT count(*) FROM answers_versions"

start_app --
wait_for "Records in this file: 0"
keys n Down Enter
wait_for "Visit"
keys Down Space Tab Tab              # Bulgaria
type_text "Школа Б"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab
keys Down Space                      # consent: no
wait_for "record nothing more"
check "the school saved" wait_q "$SCHOOL" "Школа Б"

# F9 explains and asks; n keeps the draft
keys F9
wait_for "Finalize this record?"
check "F9 says what finalizing means" wait_for "reopen it on home with r"
keys n
wait_for "Not finalized: the record is still a draft."
sleep 0.3
check "n keeps the draft" wait_q "SELECT state FROM records" draft
keys F9
wait_for "Finalize this record?"
# another key is refused: the question stays open, nothing answered
keys z
check "another key is refused" wait_for "Please answer y (yes) or n (no)."
check "the question stays open" wait_for "Finalize this record?"
sleep 0.3
check "z finalized nothing" wait_q "SELECT state FROM records" draft
keys y
check "y finalizes" wait_q "SELECT state FROM records" finalized
wait_for "The record is finalized."
check "the page heading is marked" wait_for "[finalized: read-only]"
# the hint bar offers only what works: F9 no longer; F1 says why not
check "the hint bar no longer offers F9" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -1 | grep -q F9"
keys F1
check "F1: F9 does not finalize a read-only record" wait_for "Finalize: not in a read-only record (says why)"
check "F1: nor does F5 add an entry" wait_for "Add an entry or take notes: not in a read-only record"
keys Escape

# typing changes nothing and says why
before=$(q "$VERSIONS")
keys BTab BTab BTab BTab BTab
wait_for "A pseudonym such as"
type_text "X"
check "typing says why not" wait_for "reopen it on home with r."
keys BSpace Space
sleep 0.5
check "the school unchanged" wait_q "$SCHOOL" "Школа Б"
check "no new revision" wait_q "$VERSIONS" "$before"
check "still finalized" wait_q "SELECT state FROM records" finalized
check "the field shows the stored text" sh -c "tmux -S '$SOCK' capture-pane -p -t 0 | grep -q 'Школа Б\$\\|Школа Б '"

# moving works: Tab, F2, PgDn, Esc
at=$(cursor_pos)
keys Tab
i=0; while [ "$(cursor_pos)" = "$at" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "Tab moves to the next question" test "$(cursor_pos)" != "$at"
keys F2
wait_for "Jump to a question"
keys Escape
keys PgDn
wait_for "This is the last page"
keys F9
wait_for "This record is already finalized."
keys Escape
wait_for "Records in this file: 1"
check "Esc went home" wait_for "finalized"
check "nothing changed on the way" wait_q "$VERSIONS" "$before"
finish
