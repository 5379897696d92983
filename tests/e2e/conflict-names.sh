#!/bin/sh
# A note removed on one laptop and corrected on another (issues 15, 17),
# each through the capture screen: the merge counts one conflict (its
# total line, --check and home agree); the conflicts screen names it as a
# person reads it (the record's title, "note by P1 at ...", the question's
# label, the laptops by name, "(deleted)" against the corrected text), and
# typing the text to keep with e keeps the note, with its tags taken from
# that text, ending the conflict.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

TEXT="SELECT a.value FROM answers a WHERE a.field = '/data/note/text'"
TAGS="SELECT a.value FROM answers a WHERE a.field = '/data/note/tags'"
ITEM="SELECT deleted FROM items WHERE repeat_path = '/data/note'"
conflicts() { "$BIN" --check "$1" | sed -n 's/^conflicts: *//p'; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
start_app --
wait_for "Records in this file: 0"
keys n Enter                         # the first form: IAS focus group
wait_for "Session"
keys Escape
wait_for "Records in this file: 1"
keys l
wait_for "Nobody is in the roster yet"
keys F5; type_text "P1"; keys Enter y
wait_for "1:P1"
type_text "N1 first #old"; keys Enter
check "the note saved" wait_q "$TEXT" "N1 first #old"
keys Escape
wait_for "Records in this file: 1"
keys F10
check "exit 0" test "$(wait_exit)" = 0

A="$T/a.sqlite"; B="$T/b.sqlite"
cp "$DB" "$A"; cp "$DB" "$B"
# on_laptop WHO FILE: start the program on FILE as laptop WHO
on_laptop() {
    mkdir -p "$T/state-$1"
    XDG_STATE_HOME="$T/state-$1" "$BIN" --check "$2" >/dev/null
    sed -i "s/^name=.*/name=Laptop $1/" "$T/state-$1/imas-survey/device"
    start_app "XDG_STATE_HOME=$T/state-$1" -- "$2"
    wait_for "Records in this file: 1"
    keys l
    wait_for "1:P1"
    keys PPage
}
# leave: back home from the capture screen (from the earlier notes, Esc
# first goes back to typing), then quit
leave() {
    keys Escape; sleep 0.3
    screen | grep -q "Records in this file" || keys Escape
    wait_for "Records in this file: 1"
    keys F10; wait_exit >/dev/null
}
DB=$A
on_laptop a "$A"
keys d
wait_for "Remove the selected note?"
keys y
check "a: the note removed" wait_q "$ITEM" 1
leave
DB=$B
on_laptop b "$B"
keys Enter
wait_for "Correcting a note of"
keys C-u; type_text "N1 corrected #new"; keys Enter
check "b: the note corrected" wait_q "$TEXT" "N1 corrected #new"
leave

M="$T/merged.sqlite"
out=$("$BIN" --merge --into "$M" "$A" "$B")
check "the merge's total counts one conflict" sh -c "echo '$out' | grep -q '^total:.*conflicts 1$'"
check "--check counts it" test "$(conflicts "$M")" = 1

DB=$M
start_app "XDG_STATE_HOME=$T/state-a" -- "$M"
wait_for "1 merge conflict: press c"
keys c
wait_for "Merge conflicts: 1 change made"
check "the record by its title" wait_for "IAS focus group"
check "the note by speaker and time" wait_for "note by P1 at 20"
check "the question by its label" wait_for "What was said"
check "the removal" wait_for "(deleted)"
check "the correction" wait_for "N1 corrected #new"
check "laptops by name" wait_for "on Laptop a,"
wait_for "on Laptop b,"
keys e
wait_for "Type the answer to keep"
keys C-u; type_text "N1 kept #żłobek"; keys F2
wait_for "Merge conflicts: 0 changes"
check "the typed text kept" wait_q "$TEXT" "N1 kept #żłobek"
check "its tags from that text" wait_q "$TAGS" "żłobek"
check "the note lives again" wait_q "$ITEM" 0
keys Escape
wait_for "Records in this file: 1"
keys F10
check "exit 0 after resolving" test "$(wait_exit)" = 0
check "no conflict left" test "$(conflicts "$M")" = 0
check "the resolution travels" sh -c "'$BIN' --merge --into '$A' '$M' >/dev/null && test \"\$('$BIN' --check '$A' | sed -n 's/^conflicts: *//p')\" = 0"
finish
