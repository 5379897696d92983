#!/bin/sh
# The capture clock's pause (F6) as a note-taker uses it in a break: each
# pause and restart is kept in the record's audit (polled in the file),
# leaving the screen while paused ends the pause, and the export's
# transcript marks the pause and the note typed during it; the audit table
# lists them with who and on which laptop.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
q() { sqlite3 "$DB" "$1"; }
wait_q() { # wait_q SQL WANT [SECONDS]
    local i=0
    while [ $i -lt $((${3:-5} * 20)) ]; do
        [ "$(q "$1")" = "$2" ] && return 0
        sleep 0.05
        i=$((i + 1))
    done
    return 1
}
clock() { q "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit ORDER BY at)"; }

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
keys M-1; type_text "before the break"; keys Enter
check "first note saved" wait_q "SELECT count(*) FROM answers WHERE value = 'before the break'" 1
sleep 1.1
keys F6
wait_for "The clock is paused"
check "pause in the audit" wait_q "SELECT action FROM audit" pause
sleep 1.1
type_text "typed in the break"; keys Enter
check "note in the break saved" wait_q "SELECT count(*) FROM answers WHERE value = 'typed in the break'" 1
sleep 1.1
keys F6
check "resume in the audit" wait_q "SELECT count(*) FROM audit WHERE action = 'resume'" 1
sleep 1.1
type_text "after the break"; keys Enter
check "third note saved" wait_q "SELECT count(*) FROM answers WHERE value = 'after the break'" 1
sleep 1.1
keys F6
check "second pause" wait_q "SELECT count(*) FROM audit WHERE action = 'pause'" 2
keys Escape
wait_for "Records in this file: 1"
check "leaving while paused ends the pause" wait_q "SELECT count(*) FROM audit WHERE action = 'resume'" 2
check "audit in order" test "$(clock)" = "pause resume pause resume"
check "audited by tester" test "$(q "SELECT DISTINCT author FROM audit")" = tester
keys F10
check "exit 0" test "$(wait_exit)" = 0

"$BIN" --export "$T/out" "$DB" >/dev/null || fail "--export"
tr=$(ls "$T"/out/ias-focus-group-*/transcripts/*.txt)
grep -E '^\[00:00:0[0-9]\] P1( \(.*\))?: before the break$' "$tr" >/dev/null && ok "note before the pause" \
    || fail "note before the pause"
grep -E 'P1( \(.*\))?: typed in the break \[typed while paused\]$' "$tr" >/dev/null && ok "note typed while paused" \
    || fail "note typed while paused not marked"
grep -E 'P1( \(.*\))?: after the break$' "$tr" >/dev/null && ok "note after the pause unmarked" \
    || fail "note after the pause"
check "two pauses, two restarts" test "$(grep -cE '^\[[0-9:]{8}\] \[pause\]$' "$tr") $(grep -cE '^\[[0-9:]{8}\] \[resume\]$' "$tr")" = "2 2"
# pause before the note typed in the break, resume after it
order=$(grep -oE '\[pause\]|\[resume\]|before the break|typed in the break \[|after the break' "$tr" | tr '\n' '|')
check "transcript order ($order)" test "$order" = "before the break|[pause]|typed in the break [|[resume]|after the break|[pause]|[resume]|"
audit=$(ls "$T"/out/ias-focus-group-*/audit.csv)
check "audit table: header" test "$(head -1 "$audit" | tr -d '\r')" = "record_uuid,at,action,reason,field,device_id,author,audit_uuid"
check "audit table: four clock entries by tester" test "$(grep -c ',tester,' "$audit")" = 4
finish
