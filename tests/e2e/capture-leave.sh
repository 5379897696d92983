#!/bin/sh
# Leaving the capture screen with a note half typed asks first; F1 there
# shows what its keys do and the question stays open (it closed, and the
# next keys went into the note); Enter then saves the note and leaves.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"

DB="$T/s.sqlite"
start_app -- "$DB"
wait_for "Records in this file: 0"
keys n Enter
wait_q "SELECT count(*) FROM records" 1
keys Escape
wait_for "Records in this file: 1"
keys l
wait_for "Nobody is in the roster yet"
row_of() { screen | grep -n -- "$1" | head -1 | cut -d: -f1; }
# PgUp selects an earlier note: the cursor on it (screen readers follow)
type_text "Първа бележка"; keys Enter
wait_q "SELECT count(*) FROM answers WHERE value = 'Първа бележка'" 1
keys PPage
wait_for "Enter corrects the selected note"
check "the cursor is on the selected note" test "$(cursor_pos)" = "$(( $(row_of "Първа бележка") - 1 )) 0"
keys Escape
type_text "Половин бележка"
wait_for "Половин бележка"
keys Escape
wait_for "Note not saved yet"
check "the cursor is at the question" test "$(cursor_pos)" = "$(( $(row_of "Note not saved yet") - 1 )) 1"
keys F1
check "F1 opens on the leave question" wait_for "Keys on this screen"
check "F1 says Enter saves and leaves" wait_for "Save the note, then leave"
keys Escape
check "the question is still open" wait_for "Note not saved yet"
keys Enter
check "Enter saved the note" wait_q "SELECT count(*) FROM answers WHERE value = 'Половин бележка'" 1
check "and left for home" wait_for "Records in this file: 1"
keys F10
check "exit 0" test "$(wait_exit)" = 0
finish
