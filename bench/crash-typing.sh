#!/bin/sh
# crash-typing.sh: kill -9 the program at random moments while a person
# (tmux) types answers into the dimension grid, CRASH_RUNS times (default
# 200). An answer counts as entered when the screen shows it saved (the
# cell editor closed and the cell showing the text: the program saves
# before it draws). After each kill: every entered answer must be in the
# file, the file must pass quick_check, and the program must start again.
# An answer replaced by a later entry in the same cell counts as kept when
# its value is in the history (answers_versions). Prints lost answers and
# damaged files; both must be 0.
set -u
: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
RUNS=${CRASH_RUNS:-200}
. "$top_srcdir/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 0; }

BASE="$T/base.sqlite"
W="$T/work.sqlite"
q() { sqlite3 "$W" "$1"; }

# A grid record whose saved position is the grid page.
start_app IMAS_SURVEY_FILE="$BASE" --
wait_for "Records in this file: 0" 10 || finish
keys n Down; wait_for "IMAS dimension grid  (imas" || finish
keys Enter; wait_for "Visit" || finish
keys Down Space Tab
type_text "София-град"; keys Tab
type_text "Училище А"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes" || finish
keys PgDn; wait_for "For each dimension" || finish
keys PgDn; wait_for "Legal framework" || finish
keys F10
[ "$(wait_exit 10)" = 0 ] || { fail "could not prepare the base file"; finish; }

lost=0 damaged=0 nostart=0 entered_total=0
i=0
while [ $i -lt "$RUNS" ]; do
    i=$((i + 1))
    [ -f "$W" ] && cp "$W" "$T/prev.sqlite"; cp "$BASE" "$W"
    rm -f "$W-wal" "$W-shm"
    : >"$T/entered"
    start_app -- "$W"
    # the program starts on home with the record highlighted; Enter goes
    # back to the page the user was on
    wait_for "Enter continues where you left off" 30 >/dev/null 2>&1 && keys Enter
    wait_for "Dimension grid" 30 >/dev/null 2>&1 || { nostart=$((nostart + 1)); echo "run $i: no grid" >&2; screen >&2; continue; }
    pid=$(pgrep -P "$(tm display -p -t 0 '#{pane_pid}')" imas-survey)
    delay=$(awk -v s="$i" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 4 }')
    (sleep "$delay"; kill -9 "$pid" 2>/dev/null) &
    killer=$!
    k=0
    while kill -0 "$pid" 2>/dev/null; do
        k=$((k + 1))
        mark="к$i-$k"
        keys Enter
        keys C-u
        type_text "Статус $mark"
        keys Escape
        # entered: the editor closed and the cell shows the text
        n=0
        while [ $n -lt 100 ]; do
            s=$(screen)
            if printf '%s' "$s" | grep -qF "Статус $mark" && ! printf '%s' "$s" | grep -qF "Esc Close"; then
                kill -0 "$pid" 2>/dev/null && echo "Статус $mark" >>"$T/entered"
                break
            fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.02
            n=$((n + 1))
        done
        if [ $((k % 12)) -eq 0 ]; then keys Up Up Up Up Up Up Up Up Up Up Up; else keys Down; fi
    done
    wait "$killer" 2>/dev/null
    sleep 0.1
    if [ "$(q 'PRAGMA quick_check' 2>&1)" != ok ]; then
        damaged=$((damaged + 1)); echo "run $i: quick_check failed" >&2; continue
    fi
    while IFS= read -r v; do
        entered_total=$((entered_total + 1))
        # a later entry in the same cell keeps the earlier one in the history
        if [ "$(q "SELECT (SELECT count(*) FROM answers WHERE value = '$v') + (SELECT count(*) FROM answers_versions WHERE value = '$v')")" -lt 1 ]; then
            lost=$((lost + 1)); echo "run $i: '$v' was entered and is not in the file" >&2
            [ -n "${CRASH_DEBUG:-}" ] && { q "SELECT field, value, revision, deleted FROM answers WHERE field GLOB '/data/grid/*status_quo'" >&2; cp "$W" /tmp/crash-debug.sqlite; }
        fi
    done <"$T/entered"
    "$BIN" --check "$W" >/dev/null 2>&1 || { nostart=$((nostart + 1)); echo "run $i: --check fails" >&2; }
done
# the program starts on the last file; Enter goes back to the grid, on
# the cell last moved to (the grid may be scrolled past its first row)
start_app -- "$W"
wait_for "Enter continues where you left off" 10 >/dev/null 2>&1 && keys Enter
wait_for "Dimension grid" 30 >/dev/null 2>&1 || nostart=$((nostart + 1))
keys F10
echo "typing kill -9: $RUNS kills at random moments while grid answers were typed"
echo "  answers entered before the kills: $entered_total"
echo "  lost answers: $lost (target 0)"
echo "  damaged files: $damaged (target 0)"
echo "  runs where the program did not start or --check failed: $nostart (target 0)"
. "$(dirname "$0")/figures.sh"
v=ok; [ "$lost" -eq 0 ] && [ "$damaged" -eq 0 ] && [ "$nostart" -eq 0 ] || v=MISSED
figure "kill -9 while typing: entered answers lost, damaged files" \
    "$lost of $entered_total, $damaged ($RUNS kills)" "0, 0" $v
[ "$lost" -eq 0 ] && [ "$damaged" -eq 0 ] && [ "$nostart" -eq 0 ] || failures=$((failures + 1))
finish
