#!/bin/sh
# The capture screen's roster scrolls to keep the current speaker in sight
# (issue 17): twelve participants at 80x24 do not fit on the roster row;
# selecting the 12th shows it (with "…" for those scrolled away), whole
# entries only, and the entries past the 10th carry no Alt digit.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
roster() { screen | sed -n 2p; }

start_app --
wait_for "Records in this file: 0"
keys n Enter                         # the first form: IAS focus group
wait_for "Session"
keys Escape
wait_for "Records in this file: 1"
keys l
wait_for "Nobody is in the roster yet"
for p in 01 02 03 04 05 06 07 08 09 10 11 12; do
    keys F5; type_text "Teacher$p"; keys Enter y
    wait_for "Teacher$p" || finish
done
check "the roster is saved" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/participant/code'" 12
keys M-1
wait_for "Note by Teacher01"
check "the first speaker is on the roster row" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 2p | grep -q '1:Teacher01'"
check "an entry is never cut: the row ends in … when more follow" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 2p | grep -q '…'"
keys BTab                            # the previous speaker: the 12th
wait_for "Note by Teacher12"
check "the 12th speaker is on the roster row" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 2p | grep -q ' Teacher12 *\$'"
check "the roster shows … for the entries before" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 2p | grep -q '^ … '"
check "no cut entry" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | sed -n 2p | grep -q ' [0-9]:T\$\| [0-9]\$'"
type_text "A note by the twelfth"; keys Enter
check "the note is the 12th speaker's" \
    wait_q "SELECT b.value FROM answers a JOIN answers b ON b.item_uuid = a.item_uuid
            WHERE a.field = '/data/note/text' AND a.value = 'A note by the twelfth'
            AND b.field = '/data/note/speaker'" "Teacher12"
roster | sed 's/^/    roster: /'
finish
