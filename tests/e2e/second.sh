#!/bin/sh
# A second imas-survey on a file that one already has open: it says which
# process has the file and since when, marks home read-only and saves
# nothing; the first keeps working, and --merge from another shell still
# merges into the file while both are open. On the second, l (live
# capture) and the conflicts screen's 1, 2 and e say why not at once; an
# open record refuses typing and F9 with the reason.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
GEN="$top_builddir/bench/make-survey-file"
[ -x "$GEN" ] || skip "$GEN not built"
DB="$T/visits.sqlite"

start_app -- "$DB"
wait_for "Records in this file: 0"
SOCK_A=$SOCK
first=$(pgrep -P "$(tm display -p -t 0 '#{pane_pid}')" imas-survey)

# the second program, in a tmux server of its own
SOCK="$T/second.sock"
tm -f "$T/tmux.conf" new-session -d -x 80 -y 24 "env XDG_STATE_HOME='$T/state-b' $BIN '$DB'"
wait_for "[read-only]"
wait_for "in use by imas-survey process $first since"
# the read-only home does not offer what would change the file
hints() { screen | tail -1; }
offers() { hints | grep -qE "(^| )$1 "; }
check "the hint bar offers Enter Open" offers Enter
for k in n d f r l; do
    offers $k && fail "the read-only hint bar offers $k: $(hints)"
done
# n, d, f and r say why at once, with no prompt
keys n
check "n: no new record, and why" wait_for "No new record: in use by imas-survey process $first"
screen | grep -q "Choose a form" && fail "n opened the form choice"
keys d
check "d: nothing deleted, and why" wait_for "Nothing deleted: in use by imas-survey process $first"
keys f
check "f: not finalized, and why" wait_for "Not finalized: in use by imas-survey process $first"
keys r
check "r: not reopened, and why" wait_for "Not reopened: in use by imas-survey process $first"
keys F1
check "F1 says n is not for a read-only file" wait_for "New record: not in a read-only file"
keys Escape
check "the second program saved no record" wait_q "SELECT count(*) FROM records" 0

# the first one works as before
SOCK=$SOCK_A
keys n; wait_for "Choose a form"
keys Enter; wait_for "Session"
keys Escape
check "the first program saves" wait_q "SELECT count(*) FROM records" 1
# and takes a live note in it
wait_for "Records in this file: 1"
keys l
wait_for "Nobody is in the roster yet"
type_text "Współpraca z rodzicami"
keys Enter
check "the first program saves a note" \
    wait_q "SELECT count(*) FROM answers WHERE value = 'Współpraca z rodzicami'" 1
keys Escape
wait_for "Records in this file: 1"

# the second one lists that record (read again within a second), and d
# on it asks nothing and deletes nothing
SOCK="$T/second.sock"
wait_for "Records in this file: 1"
keys d
check "d on a listed record: nothing deleted, and why" \
    wait_for "Nothing deleted: in use by imas-survey process $first"
hints | grep -q "Yes" && fail "d asked a yes/no question: $(hints)"
keys y
check "the record is still there" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 1
# l on it (a focus group): no capture screen, and the true reason
keys l
check "l: no live capture, and why" wait_for "No live capture: in use by imas-survey process $first"
screen | grep -q "roster" && { fail "l opened the capture screen: $(screen)"; keys Escape; }
# the record opens to be read: typing and F9 say why, nothing is saved
keys Enter
wait_for "Session"
type_text "qqq"
check "typing in the record: why not" wait_for "in use by imas-survey process $first"
keys F9
screen | grep -q "Finalize this record" && fail "F9 asked to finalize"
keys Escape
wait_for "Records in this file: 1"
check "the record has no answer from the second program" \
    wait_q "SELECT count(*) FROM answers WHERE value LIKE '%qqq%'" 0
# the note found by search opens to be read: the screen says why it cannot
# change, and F5 says why nobody is added, with no prompt
keys /
wait_for "Search:"
type_text "wspolpraca"
wait_for "1 result"
keys Enter
check "a note opened from search: read, and why not changed" \
    wait_for "View only: in use by imas-survey process $first"
for k in Enter Del; do
    offers $k && fail "the view-only earlier notes offer $k: $(hints)"
done
keys Enter
check "Enter on a note: not corrected, and why" wait_for "Not corrected: in use by imas-survey process $first"
keys Delete
check "Del: nothing removed, and why" wait_for "Nothing removed: in use by imas-survey process $first"
screen | grep -q "Remove the selected note?" && fail "Del asked to remove: $(screen)"
keys Escape
wait_for "Clock"
for k in Enter F5; do
    offers $k && fail "the view-only capture screen offers $k: $(hints)"
done
keys Enter
check "Enter: no note taken, and why" wait_for "No note taken: in use by imas-survey process $first"
keys F5
check "F5: nobody added, and why" wait_for "Nobody added: in use by imas-survey process $first"
screen | grep -q "New participant's code" && fail "F5 asked for a code: $(screen)"
type_text "qqq"
check "typing a note: why not" wait_for "No note taken: in use by imas-survey process $first"
screen | grep -q "qqq" && fail "the note was typed: $(screen)"
[ -n "${SHOW:-}" ] && screen
keys Escape Escape
wait_for "Search:"
keys Escape
wait_for "Records in this file: 1"
SOCK=$SOCK_A

# a merge from another shell while both are open
"$GEN" --out "$T/partner.sqlite" --records 3 --answers-per-record 4 --device pt --seed 9 >/dev/null ||
    fail "make-survey-file"
timeout 60 "$BIN" --merge --into "$DB" "$T/partner.sqlite" >"$T/out" 2>"$T/err"
check "--merge into the open file: exit 0" test $? = 0
check "the merged records are in the file" wait_q "SELECT count(*) FROM records" 4

# conflicts merged in while both are open: the second program shows them,
# read-only; 1, 2 and e are not offered, say why at once and save nothing
D="$T/in"
mkdir "$D"
"$GEN" --out "$D/a.sqlite" --records 4 --answers-per-record 6 --device a --seed 2 >/dev/null &&
"$GEN" --out "$D/b.sqlite" --from "$D/a.sqlite" --edit-fraction 0.6 --device b --seed 3 >/dev/null &&
"$GEN" --out "$D/c.sqlite" --from "$D/a.sqlite" --edit-fraction 0.6 --device c --seed 4 >/dev/null ||
    fail "make-survey-file"
timeout 60 "$BIN" --merge --into "$DB" "$D/a.sqlite" "$D/b.sqlite" "$D/c.sqlite" >/dev/null 2>&1 ||
    fail "--merge with conflicts"
n=$("$BIN" --check "$DB" | sed -n 's/^conflicts: *//p')
check "the merge made conflicts" test "${n:-0}" -gt 2
SOCK="$T/second.sock"
wait_for "$n merge conflicts: press c"
keys c
check "c opens the conflicts, read-only" wait_for "Merge conflicts: $n changes made differently on two laptops  [read-only]"
wait_for "[1] This file:"
for k in 1 2 e; do
    offers $k && fail "the read-only conflicts hint bar offers $k: $(hints)"
done
keys 1
check "1: not resolved, and why" wait_for "Not resolved: in use by imas-survey process $first"
keys 2 e
screen | grep -q "Type the answer to keep" && fail "e opened the editor: $(screen)"
[ -n "${SHOW:-}" ] && screen
keys F1
check "F1 says 1 is not for a read-only file" wait_for "This: not in a read-only file"
keys Escape Escape
wait_for "Records in this file: "
check "nothing resolved" wait_q "SELECT count(*) FROM audit WHERE action = 'resolve'" 0
check "the conflicts are all there" test "$("$BIN" --check "$DB" | sed -n 's/^conflicts: *//p')" = "$n"
SOCK=$SOCK_A
keys F10
check "the first program exits" test "$(wait_exit)" = 0
SOCK="$T/second.sock"
keys F10
tm kill-server 2>/dev/null
check "file intact" wait_q "PRAGMA quick_check" ok
finish
