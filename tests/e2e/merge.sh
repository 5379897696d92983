#!/bin/sh
# imas-survey --merge as the coordinator runs it: partners' files into one,
# a summary line per input and a total, --dry-run, refusals with one line
# naming the file and the target unchanged, --check showing the merge log.
. "$(dirname "$0")/lib.sh"

GEN="$top_builddir/bench/make-survey-file"
[ -x "$GEN" ] || { echo "SKIP: $GEN not built"; exit 77; }

run() { # run EXPECTED_STATUS ARGS...: output in $T/out, $T/err
    want=$1; shift
    timeout 60 "$BIN" "$@" >"$T/out" 2>"$T/err" </dev/null
    got=$?
    if [ "$got" != "$want" ]; then
        fail "imas-survey $*: exit $got, expected $want"
        sed 's/^/    err| /' "$T/err" >&2
        return 1
    fi
    return 0
}
has() { grep -qF -- "$2" "$T/$1" || { fail "'$2' not in $1 of the last run"; sed 's/^/    | /' "$T/$1" >&2; }; }
lines() { test "$(wc -l <"$T/$1")" -eq "$2" || fail "$1 has $(wc -l <"$T/$1") lines, expected $2"; }
data() { sqlite3 "$1" "SELECT record_uuid, item_uuid, field, value, revision FROM answers ORDER BY 1, 2, 3"; }

D="$T/in"
mkdir "$D"
"$GEN" --out "$D/austria.sqlite" --records 6 --answers-per-record 8 --device at --seed 1 >/dev/null &&
"$GEN" --out "$D/bulgaria.sqlite" --from "$D/austria.sqlite" --edit-fraction 0.5 --device bg --seed 2 >/dev/null &&
"$GEN" --out "$D/slovakia.sqlite" --from "$D/austria.sqlite" --edit-fraction 0.5 --device sk --seed 3 >/dev/null ||
    { fail "make-survey-file"; finish; }
inputs_sha=$(sha256sum "$D"/*.sqlite)

run 0 --merge --into "$T/all.sqlite" "$D/austria.sqlite" "$D/bulgaria.sqlite" "$D/slovakia.sqlite" &&
    lines out 4 && has out "$D/austria.sqlite: records 6 new" && has out "total: 3 merged, 0 refused" &&
    ok "three partners merged into a new file"
check "the new target is mode 0600" test "$(stat -c %a "$T/all.sqlite")" = 600
check "the inputs are never modified" test "$inputs_sha" = "$(sha256sum "$D"/*.sqlite)"
check "nothing left beside the inputs" test "$(ls "$D" | wc -l)" = 3
conflicts=$(sed -n 's/^total: .*conflicts \([0-9]*\)$/\1/p' "$T/out")
check "diverging copies give conflicts" test "${conflicts:-0}" -gt 0

run 0 --check "$T/all.sqlite" && has out "merges:          3" && has out "slovakia.sqlite (by " &&
    has out "sha256 $(sha256sum "$D/slovakia.sqlite" | cut -d' ' -f1)" && ok "--check shows the merge log"
has out "conflicts:       "

# the same file again changes no data; grouping does not matter
before=$(data "$T/all.sqlite")
run 0 --merge --into "$T/all.sqlite" "$D/bulgaria.sqlite" &&
    has out "records 0 new, 0 updated; items 0 new; answers 0 new, 0 updated" && ok "a second merge of a file changes nothing"
check "same data after merging again" test "$before" = "$(data "$T/all.sqlite")"
run 0 --merge --into "$T/sk-at.sqlite" "$D/slovakia.sqlite" "$D/austria.sqlite"
run 0 --merge --into "$T/bg.sqlite" "$D/bulgaria.sqlite"
run 0 --merge --into "$T/bg.sqlite" "$T/sk-at.sqlite"
check "another order and grouping gives the same data" test "$before" = "$(data "$T/bg.sqlite")"

# --dry-run: the same summary, nothing changed (not even the file's bytes)
"$GEN" --out "$D/new.sqlite" --records 3 --answers-per-record 4 --device pt --seed 9 >/dev/null
sum=$(sha256sum "$T/all.sqlite")
run 0 --merge --dry-run --into "$T/all.sqlite" "$D/new.sqlite" && has out "records 3 new" &&
    has out "dry run: $T/all.sqlite was not changed" && ok "--dry-run says what would change"
check "--dry-run leaves the target byte for byte" test "$sum" = "$(sha256sum "$T/all.sqlite")"
run 0 --merge --dry-run --into "$T/never.sqlite" "$D/new.sqlite"
check "--dry-run does not create a missing target" test ! -e "$T/never.sqlite"

# refusals: one line each naming the file, exit 1, others still merged
printf 'not a database\n' >"$D/notes.txt"
mkfifo "$D/pipe"
mkdir "$D/folder"
sqlite3 "$D/evil.sqlite" ".restore $D/new.sqlite" "CREATE TRIGGER t AFTER INSERT ON records BEGIN SELECT 1; END;"
ln -s "$T/all.sqlite" "$D/link.sqlite"
cp "$D/new.sqlite" "$D/-dash.sqlite"
sum=$(sha256sum "$T/all.sqlite")
run 1 --merge --into "$T/all.sqlite" -- "$D/notes.txt" "$D/pipe" "$D/folder" /dev/zero "$D/missing.sqlite" \
    "$D/evil.sqlite" "$D/link.sqlite" -dash.sqlite
lines err 8
for f in "$D/notes.txt" "$D/pipe" "$D/folder" /dev/zero "$D/missing.sqlite" "$D/evil.sqlite" "$D/link.sqlite" -dash.sqlite; do
    has err "imas-survey: $f: "
done
has out "total: 0 merged, 8 refused"
check "refused inputs leave the target byte for byte" test "$sum" = "$(sha256sum "$T/all.sqlite")"
(cd "$D" && timeout 60 "$BIN" --merge --into "$T/all.sqlite" -- -dash.sqlite >"$T/out" 2>"$T/err")
check "a name starting with - is merged after --" test $? = 0
has out "-dash.sqlite: records 3 new"

# a bad target is named as what was wrong, not the inputs
echo "not a survey" >"$T/text.sqlite"
run 1 --merge --into "$T/text.sqlite" "$D/new.sqlite"
has err "$D/new.sqlite: not merged: the file to merge into was refused (below)"
has err "$T/text.sqlite: not an SQLite database"
cp "$D/new.sqlite" "$T/newer.sqlite"
sqlite3 "$T/newer.sqlite" "PRAGMA user_version = 99"
run 1 --merge --into "$T/newer.sqlite" "$D/austria.sqlite"
has err "cannot merge into it: it was written by a newer version of imas-survey (schema 99)"

run 2 --merge && has err "needs at least one file" && ok "--merge without inputs is a usage error"
run 2 --dry-run x.sqlite && has err "only used with --merge"
finish
