#!/bin/sh
# A second imas-survey on a file that one already has open: it says which
# process has the file and since when, marks home read-only and saves
# nothing; the first keeps working, and --merge from another shell still
# merges into the file while both are open.
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
for k in n d f r; do
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
SOCK=$SOCK_A

# a merge from another shell while both are open
"$GEN" --out "$T/partner.sqlite" --records 3 --answers-per-record 4 --device pt --seed 9 >/dev/null ||
    fail "make-survey-file"
timeout 60 "$BIN" --merge --into "$DB" "$T/partner.sqlite" >"$T/out" 2>"$T/err"
check "--merge into the open file: exit 0" test $? = 0
check "the merged records are in the file" wait_q "SELECT count(*) FROM records" 4
keys F10
check "the first program exits" test "$(wait_exit)" = 0
SOCK="$T/second.sock"
keys F10
tm kill-server 2>/dev/null
check "file intact" wait_q "PRAGMA quick_check" ok
finish
