#!/bin/sh
# Issue 15's silent drop, as users meet it: one file copied to two
# laptops; on A the region is changed once, on B twice, each through the
# program. Merging both is one conflict (not B's later save winning without
# a word), listed on the conflicts screen; keeping a value there ends it,
# here and in the other laptop's file once merged.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

# wait_q FILE SQL WANT [SECONDS]: poll the file until the query gives WANT.
wait_q() {
    local i=0 got=""
    while [ $i -lt $((${4:-5} * 20)) ]; do
        got=$(sqlite3 "$1" "$2" 2>/dev/null)
        [ "$got" = "$3" ] && return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "$2 gave '$got', not '$3'"
    return 1
}
REGION="SELECT value FROM answers WHERE field = '/data/visit/region'"
conflicts() { "$BIN" --check "$1" | sed -n 's/^conflicts: *//p'; }

# A record with a region, made through the program; the file is then
# copied to two laptops (each its own XDG state, so its own device).
start_app --
wait_for "Records in this file: 0"
keys n Down Enter
wait_for "Visit"
keys Tab
type_text "Sofia"; keys Tab
DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
wait_q "$DB" "$REGION" "Sofia"
keys F10
check "exit 0 after the first answer" test "$(wait_exit)" = 0
A="$T/a.sqlite"; B="$T/b.sqlite"
cp "$DB" "$A"; cp "$DB" "$B"
mkdir -p "$T/state-a" "$T/state-b"

# set_region LAPTOP FILE VALUE...: on that laptop, open FILE (Enter on
# home returns to the question after the region), type each VALUE into the region
# (saved on Tab), waiting until the file holds it; then leave.
set_region() {
    local who=$1 f=$2; shift 2
    # the laptop's identity is made on its first run; its user names it
    # in the state file
    XDG_STATE_HOME="$T/state-$who" "$BIN" --check "$f" >/dev/null
    sed -i "s/^name=.*/name=Laptop $who/" "$T/state-$who/imas-survey/device"
    start_app "XDG_STATE_HOME=$T/state-$who" -- "$f"
    wait_for "Enter continues where you left off"
    keys Enter
    wait_for "School (pseudonym)"
    for v in "$@"; do
        keys BTab C-u
        type_text "$v"; keys Tab
        wait_q "$f" "$REGION" "$v"
    done
    keys F10
    check "exit 0 after editing on laptop $who" test "$(wait_exit)" = 0
}
set_region a "$A" "Plovdiv"
set_region b "$B" "Varna" "Varna oblast"

check "B's two saves are revisions 2 and 3" \
    test "$(sqlite3 "$B" "SELECT revision FROM answers WHERE field = '/data/visit/region'")" = 3
M="$T/merged.sqlite"
out=$("$BIN" --merge --into "$M" "$A" "$B")
check "the merge reports the conflict" sh -c "echo '$out' | grep -q '^total:.*conflicts 1$'"
check "--check counts it" test "$(conflicts "$M")" = 1
check "--check names the laptops" sh -c "'$BIN' --check '$M' | grep -q '^devices: *[34]$' &&
    '$BIN' --check '$M' | grep -q '  Laptop a$' && '$BIN' --check '$M' | grep -q '  Laptop b$'"
check "each laptop wrote under its own id" \
    test "$(sqlite3 "$M" "SELECT count(DISTINCT device_id) FROM answers_versions WHERE field = '/data/visit/region'")" = 3
check "the highest revision is shown meanwhile" \
    test "$(sqlite3 "$M" "$REGION")" = "Varna oblast"

# The conflicts screen shows both values; keeping A's ends the conflict.
start_app "XDG_STATE_HOME=$T/state-a" -- "$M"
wait_for "1 merge conflict: press c"
keys c
wait_for "Merge conflicts: 1 change made"
wait_for "Varna oblast"
wait_for "Plovdiv"
wait_for "tester, on Laptop b,"
wait_for "tester, on Laptop a,"
keys 2
wait_q "$M" "$REGION" "Plovdiv"
wait_for "Merge conflicts: 0 changes"
keys F10
check "exit 0 after resolving" test "$(wait_exit)" = 0
check "no conflict left" test "$(conflicts "$M")" = 0
check "the resolution names both heads" \
    test "$(sqlite3 "$M" "SELECT length(parents) - length(replace(parents, ' ', '')) FROM answers WHERE field = '/data/visit/region'")" = 1

# Merged into B's file, the resolution ends the conflict there too.
"$BIN" --merge --into "$B" "$A" >/dev/null
check "B has the conflict after merging A" test "$(conflicts "$B")" = 1
"$BIN" --merge --into "$B" "$M" >/dev/null
check "the resolution ends it in B" test "$(conflicts "$B")" = 0
check "B shows the kept value" test "$(sqlite3 "$B" "$REGION")" = "Plovdiv"
finish
