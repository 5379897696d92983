#!/bin/sh
# The dimension grid filled end to end as a researcher would: the visit
# page, then every row of the grid in Cyrillic with ratings set by digit;
# text in six scripts stored byte for byte; kill -9 while the cell editor
# is open loses nothing entered before it.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
# Esc closes the cell editor; wait until the grid has it back (the hint
# bar says "Enter Edit"), so the next keys are not read with the Esc as
# one Alt sequence by a slow (sanitizer) build. First, until the editor
# shows TEXT (the last typed), so that the grid's "Enter Edit" seen
# after it is not the one from before the editor opened.
esc() {
    [ -z "${1:-}" ] || wait_for "$1" 10 >/dev/null
    wait_for "F4 Discard" 10 >/dev/null
    keys Escape; wait_for "Enter Edit" 10 >/dev/null
}

start_app --
wait_for "Records in this file: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter
wait_for "Visit"
check "cursor on the first choice" test "$(cursor_pos)" = "4 5"
keys Down Space Tab
type_text "София-град"; keys Tab
type_text "Училище А"; keys Tab
type_text "2025-03-14"; keys Tab Tab Space Tab
type_text "4"; keys Tab Space
wait_for "(*) Yes"
keys PgDn; wait_for "For each dimension"
keys PgDn; wait_for "Dimension grid"
wait_for "Legal framework"
# a cell whose text goes on past its rows ends in "…" (the default target
# states are longer than two rows of their column)
check "a clipped cell ends with …" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'right in law;…'"

# a letter typed on a choice cell never moves the cursor (j, k, g, G are
# no arrows here: text typed there by mistake lands nowhere else)
# (the cursor read once it stays put: a slow build may still be moving)
settled() {
    local a b i=0
    a=$(cursor_pos)
    while [ $i -lt 30 ]; do
        sleep 0.4; b=$(cursor_pos)
        [ "$a" = "$b" ] && break
        a=$b; i=$((i + 1))
    done
    echo "$a"
}
keys Right Right
at=$(settled)
keys j j
check "letters do not move on a choice cell" test "$(settled)" = "$at"
keys Left Left
i=0; while [ "$(cursor_pos)" = "$at" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done

n=0
for dim in a b c d e f g h i j k l; do
    n=$((n + 1))
    type_text "Статус кво $n: асистентите работят без ясна роля."; keys Tab
    keys Right "$(( (n % 5) + 1 ))" Right
    type_text "Препоръка $n: единен закон."; keys Tab
    keys 2 Right
    type_text "Доказателства $n: интервюта."
    esc "Доказателства $n: интервюта."
    keys Down Left Left Left Left Left
done
wait_for "79/84 answered"
check "every grid text cell saved (12 rows x 3)" \
    wait_q "SELECT count(*) FROM answers WHERE field GLOB '/data/grid/*' AND deleted = 0 AND value GLOB '*[0-9]:*'" 36
check "ratings set by digits" \
    wait_q "SELECT group_concat(value, '') FROM (SELECT value FROM answers WHERE field GLOB '/data/grid/*/gap' ORDER BY updated_at)" 234512345123
check "levels set by digits" \
    wait_q "SELECT count(*) FROM answers WHERE field GLOB '/data/grid/*/rec_level' AND value = 'national'" 12
check "target state defaults kept" \
    wait_q "SELECT count(*) FROM answers WHERE field GLOB '/data/grid/*/target_state' AND length(value) > 40" 12
check "Cyrillic stored exactly" \
    wait_q "SELECT value FROM answers WHERE field = '/data/grid/funding/status_quo'" "Статус кво 2: асистентите работят без ясна роля."
check "row completeness shown" wait_for "6/6"

# six scripts and combining marks in one cell
keys Up Up Up; keys Right Right Right Enter
wait_for "Recommendation"
keys C-u
MIXED="Učiteľ Größe ação 学校の先生 é́ край"
type_text "$MIXED"
esc
# the progress line already said "answered" before Esc: poll the file
# (slow under the sanitizers) rather than the screen
i=0
while [ $i -lt 200 ]; do
    v=$(q "SELECT value FROM answers WHERE field GLOB '/data/grid/*/recommendation' AND value GLOB 'U*'")
    [ -n "$v" ] && break
    sleep 0.05
    i=$((i + 1))
done
check "mixed scripts stored byte for byte" test "$v" = "$MIXED"
check "stored text is valid UTF-8" sh -c "sqlite3 '$DB' 'SELECT value FROM answers' | iconv -f UTF-8 -t UTF-8 >/dev/null"
check "cursor on the cell" test "$(cursor_pos | cut -d' ' -f1)" -ge 3

# kill -9 with the editor open: everything entered before it is on disk
before=$(q "SELECT count(*) FROM answers WHERE deleted = 0")
keys Down Enter
type_text "не е запазено"
sleep 0.3
pid=$(pgrep -P "$(tm display -p -t 0 '#{pane_pid}')" imas-survey)
kill -9 "$pid"
sleep 0.3
check "file intact after kill -9" test "$(q 'PRAGMA quick_check')" = ok
check "every answer entered before the kill is in the file" \
    wait_q "SELECT count(*) FROM answers WHERE deleted = 0" "$before"
check "the school is still there" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Училище А"
finish
