#!/bin/sh
# After a merge with conflicts: home shows their number, c opens the
# conflicts screen, each choice (this file's value, the other laptop's, or
# a typed one) is saved at once as a new revision, audited, and ends the
# conflict here and in files it is merged into later.
. "$(dirname "$0")/lib.sh"

GEN="$top_builddir/bench/make-survey-file"
[ -x "$GEN" ] || { echo "SKIP: $GEN not built"; exit 77; }
D="$T/in"
mkdir "$D"
# (seeds whose first three conflicts are in draft records, which can be
# resolved without reopening them)
"$GEN" --out "$D/a.sqlite" --records 4 --answers-per-record 6 --device a --seed 2 >/dev/null &&
"$GEN" --out "$D/b.sqlite" --from "$D/a.sqlite" --edit-fraction 0.6 --device b --seed 3 >/dev/null &&
"$GEN" --out "$D/c.sqlite" --from "$D/a.sqlite" --edit-fraction 0.6 --device c --seed 4 >/dev/null ||
    { fail "make-survey-file"; finish; }
F="$T/all.sqlite"
"$BIN" --merge --into "$F" "$D/a.sqlite" "$D/b.sqlite" "$D/c.sqlite" >/dev/null || fail "merge"
cp "$F" "$T/copy.sqlite"
n=$("$BIN" --check "$F" | sed -n 's/^conflicts: *//p')
check "the merge made conflicts" test "${n:-0}" -gt 2

DB=$F
start_app -- "$F"
wait_for "$n merge conflicts: press c"
check "the conflicts hint comes third" \
    sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -n 1 | grep -q '^F1 Help  F10 Quit  c Conflicts  Enter Open'"
keys c
wait_for "Merge conflicts: $n changes"
wait_for "[1] This file:"
wait_for "[2] The other laptop:"
check "cursor on the selected conflict" test "$(cursor_pos)" = "2 2"

# keep the other laptop's value of the first conflict
# the conflicts as the screen lists them: another head of the answer's
# history (a kept version nobody names as a parent) with another value
VID="printf('%d.%d.%.8s', v.revision, v.updated_at, v.device_id)"
HEADS="FROM answers a JOIN answers_versions v USING (record_uuid, item_uuid, field) JOIN records r ON r.record_uuid = a.record_uuid AND r.deleted = 0 WHERE (v.value IS NOT a.value OR v.deleted <> a.deleted) AND instr(' ' || a.parents || ' ', ' ' || $VID || ' ') = 0 AND NOT EXISTS (SELECT 1 FROM answers_versions w WHERE w.record_uuid = v.record_uuid AND w.item_uuid = v.item_uuid AND w.field = v.field AND instr(' ' || w.parents || ' ', ' ' || $VID || ' ') > 0) ORDER BY a.record_uuid, a.item_uuid, a.field, v.updated_at, v.device_id LIMIT 1"
first=$(sqlite3 "$F" "SELECT a.record_uuid || '|' || a.item_uuid || '|' || a.field $HEADS")
other=$(sqlite3 "$F" "SELECT v.value $HEADS")
rev=$(sqlite3 "$F" "SELECT revision FROM answers WHERE record_uuid || '|' || item_uuid || '|' || field = '$first'")
keys 2
wait_for "Saved: "
wait_for "Merge conflicts: $((n - 1)) changes"
check "the other value is the answer now" wait_q "SELECT value FROM answers WHERE record_uuid || '|' || item_uuid || '|' || field = '$first'" "$other"
check "as a new revision" wait_q "SELECT revision FROM answers WHERE record_uuid || '|' || item_uuid || '|' || field = '$first'" $((rev + 1))
check "audited" wait_q "SELECT count(*) FROM audit WHERE action = 'resolve'" 1

# type a value of one's own (Bulgarian, with a wide character) and save it
keys e
wait_for "Type the answer to keep"
keys C-u
type_text "Асистентът помага 中"
keys F2
wait_for "Merge conflicts: $((n - 2)) changes"
check "the typed value is saved" wait_q "SELECT count(*) FROM answers WHERE value LIKE '%Асистентът помага 中'" 1

# Esc in the editor changes nothing
keys e
wait_for "Type the answer to keep"
type_text "never"
keys Escape
wait_for "Not changed."
check "Esc saves nothing" wait_q "SELECT count(*) FROM answers WHERE value LIKE '%never'" 0

# keep this file's value: the value stays, the revision moves on
keys 1
wait_for "Merge conflicts: $((n - 3)) changes"
keys Escape
wait_for "$((n - 3)) merge conflicts: press c"
keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0

# the resolutions travel: merged into the copy made before, they end there too
"$BIN" --merge --into "$T/copy.sqlite" "$F" >/dev/null || fail "merge onward"
check "resolutions merge onward" test "$("$BIN" --check "$T/copy.sqlite" | sed -n 's/^conflicts: *//p')" = $((n - 3))
finish
