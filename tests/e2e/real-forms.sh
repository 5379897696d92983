#!/bin/sh
# Real public ODK forms (tests/data/forms/real/) driven as a user meets
# them. ODK Collect's form_styling.xml: labels, hints and choices in
# markdown and HTML (<span style>, ####) show as their text, a note shows
# its hint, and answers typed there (Cyrillic too) are saved as typed.
# Enketo's rank.xml: the codes of a rank question are listed to type.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
FORMS="$T/forms"
mkdir -p "$FORMS"
cp "$top_srcdir/tests/data/forms/real/collect-form_styling.xml" "$FORMS/"
start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "Form styling"
keys Enter
wait_for "page 1/14"
check "a note's HTML shows as its text" wait_for "Note text"
check "and its hint below it" wait_for "Hint text"
check "no tag on the screen" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q '<span'"
keys PgDn
check "a markdown heading shows as its text" wait_for ">* Required text question with header style"
check "without its marks" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q '####'"
type_text "Ответ **как есть** <b>"
keys Tab
check "the answer is saved as typed, marks and all" \
    wait_q "SELECT value FROM answers WHERE field = '/data/q1'" "Ответ **как есть** <b>"
wait_for "selectOneQuestions"
check "a choice's HTML shows as its text" wait_for "( ) Two"
keys Down Enter
check "the choice is saved" wait_q "SELECT value FROM answers WHERE field = '/data/selectOneQuestions/q2'" two
keys F10
check "exit 0" test "$(wait_exit)" = 0

# Enketo's rank.xml: a rank question lists its codes and labels (from a
# randomized itemset) and takes the codes typed in order
rm "$FORMS"/*.xml "$DB"*
cp "$top_srcdir/tests/data/forms/real/enketo-rank.xml" "$FORMS/"
start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "rank"
keys Enter
check "the rank question says how to answer" wait_for "Rank them: type the codes in order"
check "and lists the codes and labels" wait_for "Mexico"
type_text "c a d"
keys Tab
check "the order typed is saved" wait_q "SELECT value FROM answers WHERE field = '/data/rank'" "c a d"
keys F10
check "exit 0" test "$(wait_exit)" = 0
finish
