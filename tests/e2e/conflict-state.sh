#!/bin/sh
# A record finalized on one laptop (home f, which asks first) and deleted
# on another (home d): after the merge one conflict of the record's state
# (issue 15), counted alike by the merge's total and --check, listed on
# the conflicts screen by the record's title with both states in words;
# keeping the finalized side brings the record back, finalized, and ends
# the conflict in the file and in those it is merged into.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

STATE="SELECT state || ' ' || deleted FROM records"
conflicts() { "$BIN" --check "$1" | sed -n 's/^conflicts: *//p'; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
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
keys Escape
wait_for "Records in this file: 1"
keys F10
check "exit 0" test "$(wait_exit)" = 0

A="$T/a.sqlite"; B="$T/b.sqlite"
cp "$DB" "$A"; cp "$DB" "$B"
on_laptop() {
    mkdir -p "$T/state-$1"
    XDG_STATE_HOME="$T/state-$1" "$BIN" --check "$2" >/dev/null
    sed -i "s/^name=.*/name=Laptop $1/" "$T/state-$1/imas-survey/device"
    start_app "XDG_STATE_HOME=$T/state-$1" -- "$2"
    wait_for "Records in this file: 1"
}
DB=$A
on_laptop a "$A"
keys f
wait_for "(y/n)"
keys y
check "a: finalized from home" wait_q "$STATE" "finalized 0"
wait_for "The record is finalized."
keys F10; wait_exit >/dev/null
DB=$B
on_laptop b "$B"
keys d
wait_for "(y/n)"
keys y
check "b: deleted" wait_q "$STATE" "draft 1"
keys F10; wait_exit >/dev/null

M="$T/merged.sqlite"
out=$("$BIN" --merge --into "$M" "$A" "$B")
check "the merge's total counts one conflict" sh -c "echo '$out' | grep -q '^total:.*conflicts 1$'"
check "--check counts it" test "$(conflicts "$M")" = 1

DB=$M
start_app "XDG_STATE_HOME=$T/state-a" -- "$M"
wait_for "1 merge conflict: press c"
keys c
wait_for "Merge conflicts: 1 change made"
check "the record by its title" wait_for "Школа Б"
check "what is in conflict" wait_for "the record's state"
check "one side: deleted" wait_for "   deleted"
check "the other: finalized" wait_for "   finalized"
keys e
check "a state is not typed" wait_for "keep one side with 1 or 2"
side=1
screen | grep -A1 "^ \[2\]" | grep -q "finalized" && side=2
keys $side
wait_for "Merge conflicts: 0 changes"
check "the record is back, finalized" wait_q "$STATE" "finalized 0"
check "audited" wait_q "SELECT count(*) FROM audit WHERE action = 'resolve' AND reason = 'state'" 1
keys Escape
wait_for "Records in this file: 1"
keys F10
check "exit 0 after resolving" test "$(wait_exit)" = 0
check "no conflict left" test "$(conflicts "$M")" = 0
"$BIN" --merge --into "$B" "$M" >/dev/null
check "the resolution travels" test "$(conflicts "$B")" = 0
DB=$B
check "and brings the record back there" wait_q "$STATE" "finalized 0"
finish
