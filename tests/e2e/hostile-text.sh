#!/bin/sh
# Hostile text and the terminal (SPEC 4, issue 9): control characters pasted
# into a field never reach the file, and stored text that holds escape
# sequences (a partner's file, a merge) is drawn sanitized, never raw: the
# terminal's title is not changed, the screen not cleared, no colour set.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
title() { tm display-message -p -t 0 '#{pane_title}'; }

start_app --
wait_for "Records in this file: 0"
title0=$(title)
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter; wait_for "Visit"
keys Down Space Tab
# a paste with a bell, Ctrl-C, shift-out/in, Ctrl-\ (quit in a cooked
# terminal), Ctrl-Z and a C1 CSI (U+009B): keys, not signals, not text
type_text "$(printf 'Област\a\003\016\017\034\032 \302\2332J край')"
keys Tab
type_text "Училище А"; keys Tab
wait_for "Училище А"
i=0; until [ -n "$(q "SELECT value FROM answers WHERE field = '/data/visit/school'")" ]; do
    sleep 0.05; i=$((i + 1)); [ $i -gt 100 ] && break; done
check "the pasted text is stored without its control characters" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/region'" "Област 2J край"
check "no stored value holds a C0 or C1 control character" \
    wait_q "SELECT count(*) FROM answers WHERE value GLOB '*[$(printf '\001')-$(printf '\037')]*'
               OR instr(value, char(127)) OR instr(value, char(155))" 0
check "Ctrl-C, Ctrl-\\ and Ctrl-Z did not end or stop the program" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'F10 Quit'"

# closing the terminal window or a shutdown (SIGHUP, SIGTERM) leaves as F10
# does: the field being typed is saved
keys Tab
type_text "Иван Петров"
wait_for "Иван Петров"
pid=$(tm display-message -p -t 0 '#{pane_pid}')
app=$(pgrep -P "$pid" -f imas-survey)
kill -TERM "$app"
check "SIGTERM ends the program with status 0" test "$(wait_exit)" = 0
check "the field being typed when SIGTERM came is saved" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/interviewer'" "Иван Петров"

# a value written by another program: a right-to-left override (U+202E),
# a title-setting OSC, a bell, clear
# screen and a C1 CSI colour, in the school shown on the home screen
q "UPDATE answer_rows SET value = 'Школа' || char(8238) || char(27) || ']0;PWNED' || char(7) || char(27) || '[2J'
   || char(155) || '31mX' WHERE field = '/data/visit/school'"
tm kill-server
start_app --
i=0; until screen | grep -qE 'Records in this file|answered'; do
    sleep 0.05; i=$((i + 1)); [ $i -gt 100 ] && break; done
screen | grep -q answered && keys Escape
wait_for "Records in this file: 1"
wait_for "Школа"
check "the title escape did not reach the terminal" test "$(title)" != PWNED
check "the terminal's title is unchanged" test "$(title)" = "$title0"
check "the screen was not cleared: the forms are still listed" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Forms available: 2'"
check "the escape bytes are shown as replacement characters" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Школа�'"
check "no colour was switched on by the stored text" \
    sh -c "! tmux -u -S '$SOCK' capture-pane -p -e -t 0 | grep -q '31mX'"
check "a right-to-left override (U+202E) is not drawn: the text reads as stored" \
    sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q \"\$(printf '\\342\\200\\256')\""
keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0
finish
