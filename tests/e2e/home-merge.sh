#!/bin/sh
# A merge into the open file from another shell shows up on home (new
# records, the conflict count) within a second, without a key or reopening.
. "$(dirname "$0")/lib.sh"

GEN="$top_builddir/bench/make-survey-file"
[ -x "$GEN" ] || { echo "SKIP: $GEN not built"; exit 77; }
D="$T/in"
mkdir "$D"
"$GEN" --out "$D/austria.sqlite" --records 6 --answers-per-record 8 --device at --seed 1 >/dev/null &&
"$GEN" --out "$D/bulgaria.sqlite" --from "$D/austria.sqlite" --edit-fraction 0.5 --device bg --seed 2 >/dev/null &&
"$GEN" --out "$D/slovakia.sqlite" --from "$D/austria.sqlite" --edit-fraction 0.5 --device sk --seed 3 >/dev/null &&
"$GEN" --out "$D/more.sqlite" --records 2 --answers-per-record 4 --device nl --seed 7 >/dev/null ||
    { fail "make-survey-file"; finish; }
DB="$T/open.sqlite"
timeout 60 "$BIN" --merge --into "$DB" "$D/austria.sqlite" >/dev/null 2>&1 || fail "first merge"

start_app -- "$DB"
wait_for "Records in this file: 6"
check "no conflicts yet" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'merge conflict'"

# new records merged from another shell while home is open: no key pressed
timeout 60 "$BIN" --merge --into "$DB" "$D/more.sqlite" >"$T/out" 2>&1 || fail "merge while open: $(cat "$T/out")"
check "the file has 8 records" wait_q "SELECT count(*) FROM records WHERE deleted = 0" 8
wait_for "Records in this file: 8" 3
# two diverging copies: their conflicts are counted on home
timeout 60 "$BIN" --merge --into "$DB" "$D/bulgaria.sqlite" "$D/slovakia.sqlite" >"$T/out" 2>&1 ||
    fail "second merge: $(cat "$T/out")"
# the answers in conflict as --check counts them (home's count)
conflicts=$(timeout 60 "$BIN" --check "$DB" 2>/dev/null | sed -n 's/^conflicts: *\([0-9]*\).*/\1/p')
check "the merge made conflicts" test "${conflicts:-0}" -gt 0
wait_for "$conflicts merge conflicts: press c" 3
# the count is the merged file's, and c opens them
keys c
wait_for "Merge conflicts: $conflicts changes" 3
keys Escape
wait_for "Records in this file: $(q "SELECT count(*) FROM records WHERE deleted = 0")"
keys q
check "q exits" test "$(wait_exit)" = 0
finish
