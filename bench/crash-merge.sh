#!/bin/sh
# crash-merge.sh: kill -9 a merge at random moments, CRASH_RUNS times
# (default 200), and check after each kill that the target is whole: it
# passes quick_check and --check, and its data is exactly the data after
# some whole number of inputs (each input is one transaction). Prints the
# number of damaged files and of half-merged states; both must be 0.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
BIN="$top_builddir/src/imas-survey"
GEN="$top_builddir/bench/make-survey-file"
RUNS=${CRASH_RUNS:-200}
export LC_ALL=C.UTF-8
W=$(mktemp -d "${TMPDIR:-/tmp}/imas-crash-merge.XXXXXX")
trap 'rm -rf "$W"' EXIT
export TMPDIR="$W/tmp"
mkdir "$TMPDIR"

"$GEN" --out "$W/base.sqlite" --records 40 --answers-per-record 18 --device a --seed 11 >/dev/null || exit 1
"$GEN" --out "$W/in1.sqlite" --from "$W/base.sqlite" --edit-fraction 0.3 --device b --seed 12 >/dev/null &&
"$GEN" --out "$W/in2.sqlite" --from "$W/base.sqlite" --edit-fraction 0.3 --device c --seed 13 >/dev/null &&
"$GEN" --out "$W/in3.sqlite" --records 60 --answers-per-record 18 --device d --seed 14 >/dev/null || exit 1

dump() {
    sqlite3 "$1" "SELECT record_uuid, state, revision, deleted FROM records ORDER BY 1;
        SELECT item_uuid, revision, deleted FROM items ORDER BY 1;
        SELECT record_uuid, item_uuid, field, value, revision, deleted FROM answers ORDER BY 1, 2, 3;
        SELECT count(*) FROM answers_versions; SELECT count(*) FROM merge_log;" | sha256sum | cut -c1-64
}
merge() { "$BIN" --merge --into "$1" "$W/in1.sqlite" "$W/in2.sqlite" "$W/in3.sqlite"; }

# The states a target may be in: the base, then after each input.
"$BIN" --merge --into "$W/start.sqlite" "$W/base.sqlite" >/dev/null || exit 1
states=$(dump "$W/start.sqlite")
for k in 1 2 3; do
    cp "$W/start.sqlite" "$W/ref.sqlite"
    eval "set -- \"\$W/in1.sqlite\" \"\$W/in2.sqlite\" \"\$W/in3.sqlite\""
    inputs=""
    i=1
    for f in "$@"; do [ $i -le $k ] && inputs="$inputs $f"; i=$((i + 1)); done
    # shellcheck disable=SC2086
    "$BIN" --merge --into "$W/ref.sqlite" $inputs >/dev/null
    states="$states $(dump "$W/ref.sqlite")"
done
t0=$(date +%s%N)
cp "$W/start.sqlite" "$W/t.sqlite"
merge "$W/t.sqlite" >/dev/null
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

damaged=0 half=0 seen_after=0 started_fail=0
for i in $(seq 1 "$RUNS"); do
    rm -f "$W/t.sqlite" "$W/t.sqlite-wal" "$W/t.sqlite-shm"
    cp "$W/start.sqlite" "$W/t.sqlite"
    delay=$(awk -v s="$i" -v m="$full_ms" 'BEGIN { srand(s); printf "%.3f", rand() * m / 1000 }')
    "$BIN" --merge --into "$W/t.sqlite" "$W/in1.sqlite" "$W/in2.sqlite" "$W/in3.sqlite" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    qc=$(sqlite3 "$W/t.sqlite" "PRAGMA quick_check" 2>&1)
    if [ "$qc" != "ok" ]; then
        damaged=$((damaged + 1))
        echo "run $i: quick_check: $qc" >&2
        continue
    fi
    "$BIN" --check "$W/t.sqlite" >/dev/null 2>&1 || { started_fail=$((started_fail + 1)); echo "run $i: --check failed" >&2; }
    d=$(dump "$W/t.sqlite")
    case " $states " in
    *" $d "*) [ "$d" != "${states%% *}" ] && seen_after=$((seen_after + 1)) ;;
    *) half=$((half + 1)); echo "run $i: the data is not that of a whole number of inputs" >&2 ;;
    esac
done
# the next merge removes what killed ones left in TMPDIR
"$BIN" --merge --dry-run --into "$W/t.sqlite" "$W/in1.sqlite" >/dev/null 2>&1
left=$(find "$TMPDIR" -mindepth 1 -maxdepth 1 | wc -l)
[ "$left" -eq 0 ] || ls -la "$TMPDIR" "$TMPDIR"/* >&2
echo "merge kill -9: $RUNS kills over a ${full_ms} ms merge of 3 inputs"
echo "  damaged files: $damaged (target 0)"
echo "  half-merged states: $half (target 0)"
echo "  --check failing after a kill: $started_fail (target 0)"
echo "  kills after at least one input was merged: $seen_after"
echo "  private input copies left in TMPDIR after the next merge: $left (target 0)"
. "$(dirname "$0")/figures.sh"
v=ok; [ "$damaged" -eq 0 ] && [ "$half" -eq 0 ] && [ "$started_fail" -eq 0 ] || v=MISSED
figure "kill -9 during a merge: damaged files, half-merged" "$damaged, $half ($RUNS kills)" "0, 0" $v
[ "$damaged" -eq 0 ] && [ "$half" -eq 0 ] && [ "$started_fail" -eq 0 ] && [ "$left" -eq 0 ]
