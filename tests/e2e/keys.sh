#!/bin/sh
# F1 and the hint bar list the keys a screen reacts to, from the one table
# in src/ui/actions.h: a text field's editing keys after the screen's, and
# the keys of a y/n question, which answer it.
. "$(dirname "$0")/lib.sh"

start_app --
wait_for "Records in this file: 0"

# search: the query is a text field, so F1 lists its keys too
keys /
wait_for "Each word finds words starting with it"
keys F1
wait_for "Keys on this screen"
wait_for "In the text field:"
wait_for "Delete the word before the cursor"
check "F1 lists Ctrl-U" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Ctrl-U .*Clear the field'"
keys Escape
# a query longer than the row scrolls sideways: its end, where the cursor is, shows
type_text "$(printf 'word%.0s ' $(seq 1 20))zzzEND"
wait_for "zzzEND"
check "the cursor is at the end of the query" \
    test "$(cursor_pos | cut -d' ' -f2)" -ge 70
keys Escape
wait_for "Records in this file: 0"

# a record, then the y/n question before deleting it
keys n
wait_for "Choose a form"
keys Enter
i=0; until screen | grep -q answered; do sleep 0.05; i=$((i + 1)); [ $i -gt 100 ] && break; done
keys Escape
wait_for "Records in this file: 1"
keys d
wait_for "(y/n)"
check "the hint bar lists y and n" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -n 1 | grep -q 'y Yes  n No'"
keys F1
wait_for "Keys on this screen"
check "F1 lists only the question's keys" \
    sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'New record'"
keys Escape
wait_for "(y/n)"
keys n
wait_for "Nothing was deleted."
wait_for "Records in this file: 1"
keys d
wait_for "(y/n)"
keys y
wait_for "The record was deleted."
wait_for "Records in this file: 0"

keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0
finish
