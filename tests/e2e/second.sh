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
keys n; wait_for "Choose a form"
keys Enter
wait_for "cannot save: in use by imas-survey process $first"
check "the second program saved no record" wait_q "SELECT count(*) FROM records" 0

# the first one works as before
SOCK=$SOCK_A
keys n; wait_for "Choose a form"
keys Enter; wait_for "Session"
keys Escape
check "the first program saves" wait_q "SELECT count(*) FROM records" 1

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
