#!/bin/sh
# Readable at 80x24 in every language (and at 120x40): every screen in
# Bulgarian, Polish, German and Finnish (home and its F1 in the six other
# languages and English), with the strings to look for taken
# from the message catalogs (through gettext) and the shipped forms
# (through --check-form --lang all), never from screen dumps. Labels,
# hints, notes and long choice labels wrap with every word whole; a
# column header or cell that does not fit ends in "…"; state words are
# whole; every F1 entry of a screen is there, its text ending inside the
# screen; prompts and messages show their words whole.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed (it checks the screens)"
command -v gettext >/dev/null 2>&1 || skip "gettext not installed (gettext-base)"
GEN="$top_builddir/bench/make-survey-file"
[ -x "$GEN" ] || skip "$GEN not built"
[ -d "$top_builddir/po/locale/bg" ] || skip "the catalogs are not built (po/locale)"

GRID="$top_srcdir/forms/imas-dimension-grid.xml"
FG="$top_srcdir/forms/ias-focus-group.xml"
"$BIN" --check-form "$GRID" --lang all >"$T/grid.all" || fail "--check-form grid"
"$BIN" --check-form "$FG" --lang all >"$T/fg.all" || fail "--check-form focus group"

# Records in each state and conflicts: three laptops' copies merged.
D="$T/in"
mkdir "$D"
"$GEN" --out "$D/a.sqlite" --records 4 --answers-per-record 6 --device a --seed 2 >/dev/null &&
"$GEN" --out "$D/b.sqlite" --from "$D/a.sqlite" --edit-fraction 0.6 --device b --seed 3 >/dev/null &&
"$GEN" --out "$D/c.sqlite" --from "$D/a.sqlite" --edit-fraction 0.6 --device c --seed 4 >/dev/null ||
    { fail "make-survey-file"; finish; }
FIX="$T/fixture.sqlite"
"$BIN" --merge --into "$FIX" "$D/a.sqlite" "$D/b.sqlite" "$D/c.sqlite" >/dev/null || fail "merge"
NCONF=$("$BIN" --check "$FIX" | sed -n 's/^conflicts: *//p')
check "the fixture has conflicts" test "${NCONF:-0}" -gt 0
check "the fixture has finalized records" test "$(sqlite3 "$FIX" "SELECT count(*) FROM records WHERE state = 'finalized'")" -gt 0

# po MSGID: the message in language $L, as the program shows it.
po() { LANGUAGE=$L TEXTDOMAINDIR="$top_builddir/po/locale" gettext -d imas-survey -- "$1"; }
npo() { LANGUAGE=$L TEXTDOMAINDIR="$top_builddir/po/locale" ngettext -d imas-survey -- "$1" "$2" "$3"; }

# ft FILE PATH KIND: KIND ("label", "hint", "choice VALUE") of the form
# node PATH in language $L, else in English (as the program falls back).
ft() {
    awk -v path="$2" -v kind="$3 [" -v want="($L)" '
        function indent(s) { return match(s, /[^ ]/) }
        $2 == path { inb = 1; ind = indent($0); next }
        inb && indent($0) <= ind { exit }
        inb && indent($0) == ind + 2 && index($0, kind) == ind + 2 {
            rest = substr($0, ind + 2 + length(kind))
            k = index(rest, "]: ")
            lng = substr(rest, 1, k - 1)
            txt = substr(rest, k + 3)
            if (substr(lng, length(lng) - length(want) + 1) == want && txt != "(missing)") mine = txt
            if (substr(lng, length(lng) - 3) == "(en)") en = txt
        }
        END { print (mine != "" ? mine : en) }' "$1"
}

cat >"$T/check.py" <<'EOF'
import sys, unicodedata
mode, scr = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().split("\n")
args = sys.argv[3:]
tokens = set(" ".join(scr).split())
def say(msg):
    print("    " + msg)
    for l in scr:
        print("    | " + l)
    sys.exit(1)
if mode == "words":
    # every word of the text is on screen whole (wrapped text keeps its words)
    for text in args:
        for w in text.split():
            if w not in tokens:
                say("word %r of %r not whole on screen" % (w, text))
elif mode == "fits":
    # the text is on screen whole, or cut short with "…" (at least 3
    # letters of it shown)
    for text in args:
        if text in "\n".join(scr):
            continue
        ok = any((text[:k].rstrip() + "\u2026") in l for l in scr for k in range(3, len(text)))
        if not ok:
            say("%r is neither whole nor cut with … on screen" % text)
elif mode == "clipmark":
    # some row of the region (rows a..b) ends a cut cell in "…"
    a, b = int(args[0]), int(args[1])
    if not any("\u2026" in l for l in scr[a:b + 1]):
        say("no cell in rows %d-%d ends in …" % (a, b))
elif mode == "help":
    # F1: every entry the big screen shows is here too, no text cut
    big = open(args[0], encoding="utf-8").read().split("\n")
    label = args[1]
    def entries(lines):
        # a text field's keys beside the screen's: from the column of
        # their heading
        split = 0
        for l in lines:
            k = l.find(label)
            if k > 1:
                split = k - 1
        n = 0
        for l in lines[1:-1]:
            for part in ([l[:split], l[split:]] if split else [l]):
                if part[:2] == "  " and part[2:3].strip():
                    n += 1
        return n
    for l in scr[1:-1]:
        if l.rstrip().endswith("\u2026"):
            say("an F1 row is cut: %r" % l)
    if entries(scr) < entries(big):
        say("F1 lists %d keys here, %d on a big terminal" % (entries(scr), entries(big)))
EOF

cap() { screen >"$T/screen"; }
# see WHAT MODE ARGS...: check the screen now.
see() {
    local what=$1; shift
    cap
    if python3 "$T/check.py" "$@" >"$T/why" 2>&1; then ok "$L ${COLS}x$ROWS: $what"; else fail "$L ${COLS}x$ROWS: $what"; cat "$T/why" >&2; fi
}
# poyn MSGID: the translation of a y/n question as the screen shows it,
# "(y/n)" as the letters the language takes ("(д/н)")
poyn() {
    local letters y n
    letters=$(po yn)
    y=$(printf %s "$letters" | sed 's/^\(.\).*/\1/')
    n=$(printf %s "$letters" | sed 's/^.\(.\).*/\1/')
    po "$1" | sed "s|(y/n)|($y/$n)|"
}
# see_soon WHAT MODE ARGS...: as see, tried again for up to 10 s (a loaded
# or sanitizer build may still be drawing what the keys asked for)
see_soon() {
    local what=$1 i=0; shift
    while [ $i -lt 40 ]; do
        cap
        if python3 "$T/check.py" "$@" >"$T/why" 2>&1; then ok "$L ${COLS}x$ROWS: $what"; return; fi
        sleep 0.25; i=$((i + 1))
    done
    fail "$L ${COLS}x$ROWS: $what"; cat "$T/why" >&2
}
words() { local what=$1; shift; see "$what" words "$T/screen" "$@"; }
# saved FIELD: the new visit's /data/visit/FIELD is in the file (T0: when
# the record was started)
saved() {
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/visit/$1' AND updated_at >= $T0" 1 ||
        { fail "$L ${COLS}x$ROWS: visit: $1 not saved"; return 1; }
}
fits() { local what=$1; shift; see "$what" fits "$T/screen" "$@"; }

# help WHAT [maybe]: F1 on this screen at this size and on a 120x40
# terminal list the same keys, with no text cut; any key closes it.
# "maybe": a screen whose F1 may not open yet (the cell editor's).
help() {
    local title i=0
    title=$(po "Keys on this screen (any key closes this help)" | cut -c1-20)
    keys F1
    while ! screen | grep -qF -- "$title"; do
        i=$((i + 1))
        if [ $i -gt 60 ]; then
            if [ "${2:-}" = maybe ]; then echo "note: $L: no F1 on the $1 yet"; return; fi
            fail "$L ${COLS}x$ROWS: F1 $1 does not open"
            return
        fi
        sleep 0.05
    done
    sleep 0.1
    cap; cp "$T/screen" "$T/small"
    # keys that take more than a page: PgDn turns to the next
    local more n=0
    more=$(po "Page %d of %d: PgDn shows the next" | sed 's/.*: //')
    while grep -qF -- "$more" "$T/screen" && [ $n -lt 5 ]; do
        keys PgDn; sleep 0.3; cap; cat "$T/screen" >>"$T/small"; n=$((n + 1))
    done
    resize 120 40; sleep 0.3; cap; cp "$T/screen" "$T/big"
    resize "$COLS" "$ROWS"; sleep 0.3
    see "F1 $1" help "$T/small" "$T/big" "$(po "In the text field:")"
    keys Escape
    sleep 0.2
}

# F9: the finalize prompt, or the list of what is missing; closed again
finalize_prompt() {
    keys F9; sleep 0.3
    cap
    if grep -qF -- "$(po "Finalize this record? (y/n)" | cut -c1-12)" "$T/screen"; then
        words "finalize prompt" "$(po "Finalizing says the record is complete: its answers are checked, then it is locked and can only be read. To change it later, reopen it on home with r (the reason is kept).")" \
            "$(poyn "Finalize this record? (y/n)")"
        keys n
    else
        fits "finalize: what is missing" "$(po "Not finalized: fix these first (Enter jumps, Esc closes)")"
        keys Escape
    fi
    sleep 0.2
}

# one language at one size: every screen
run() {
    L=$1 COLS=$2 ROWS=$3
    DB="$T/$L-$COLS.sqlite"
    cp "$FIX" "$DB"
    start_app -- --lang "$L" "$DB"
    wait_for "$(npo "%lld merge conflict: press c" "%lld merge conflicts: press c" "$NCONF" | sed "s/%lld/$NCONF/")" 10 || return

    # home: column headers whole or cut with …; both states whole
    fits "home column headers" "$(po Form)" "$(po Title)" "$(po Country)" "$(po School)" \
        "$(po State)" "$(po "Last edit")" "$(po Author)"
    words "home state words" "$(po finalized)" "$(po draft)"
    help "home"
    # the delete prompt (what follows the record's name)
    keys d; sleep 0.3
    words "delete prompt" "$(po "Delete %s? (y/n) It is kept as a tombstone in the file." | sed 's/.*%s[^ ]* //')"
    keys n; sleep 0.2
    # reopen: filter down to the finalized records first
    keys F4; type_text "$(po finalized)"; keys Enter; sleep 0.3
    keys r; sleep 0.3
    fits "reopen prompt" "$(po "Why reopen %s? " | sed 's/ *%s.*//')"
    keys Escape; sleep 0.2
    keys F4 Escape; sleep 0.2

    # conflicts
    keys c
    wait_for "[1]" || return
    help "conflicts"
    keys Escape; sleep 0.3

    # search
    keys /; sleep 0.3
    type_text "a"; sleep 0.5
    help "search"
    keys Escape; sleep 0.3

    # a new grid record: the visit page
    T0=$(($(date +%s) * 1000))
    keys n Down Enter
    wait_for "$(ft "$T/grid.all" /data/visit/school label)" || return
    words "visit: labels and choices" "$(ft "$T/grid.all" /data/visit/country label)" \
        "$(ft "$T/grid.all" /data/visit/school label)" \
        "$(ft "$T/grid.all" /data/visit/country "choice GB")" "$(ft "$T/grid.all" /data/visit/country "choice other")"
    fits "visit: state word" "$(po required)"
    help "question page"
    # the jump list: its state words whole
    keys F2; sleep 0.3
    words "jump list state words" "$(po required)"
    keys Escape
    # gone from the screen: the Escape is read, and the Down below cannot
    # reach the program with it as one escape sequence
    local gone=0
    while screen | grep -qF -- "$(po "Jump to a question (Enter jumps, Esc closes)" | cut -c1-20)"; do
        gone=$((gone + 1)); [ $gone -gt 300 ] && { fail "$L ${COLS}x$ROWS: the jump list stays open"; return; }
        sleep 0.05
    done
    # each answer waits for the file before the next keys
    keys Down Space Tab
    saved country || return
    type_text "София-град"; keys Tab
    saved region || return
    type_text "Училище А"; keys Tab
    saved school || return
    type_text "2025-03-14"; keys Tab Tab Space
    saved roles || return
    keys Tab; type_text "4"; keys Tab
    saved n_respondents || return
    # the consent question comes into view once the keys above are all
    # handled (a loaded machine takes longer than any fixed pause)
    wait_for "$(ft "$T/grid.all" /data/visit/consent label | cut -d' ' -f1-2)" 15 || return
    words "visit: the consent question" "$(ft "$T/grid.all" /data/visit/consent label)"
    keys Space; sleep 0.2
    keys PgDn; sleep 0.3
    words "grid instructions wrap whole" "$(ft "$T/grid.all" /data/grid_intro label)"
    keys PgDn
    wait_for "$(ft "$T/grid.all" /data/grid/legal_framework label)" || return
    fits "grid column headers" "$(ft "$T/grid.all" /data/grid/legal_framework/status_quo label)" \
        "$(ft "$T/grid.all" /data/grid/legal_framework/target_state label)" "$(po Dimension)"
    see "a clipped grid cell ends in …" clipmark "$T/screen" 3 $((ROWS - 7))
    help "grid"
    keys Enter; sleep 0.3
    NOTE="Асистентите в тази среда работят с учителите всеки ден, но ролята им не е описана никъде в правилника на училището."
    type_text "$NOTE"
    wait_for "училището." >/dev/null
    words "cell editor wraps the typed text" "$NOTE"
    help "cell editor"
    keys Escape; sleep 0.3
    words "preview shows the cell's text and its state" "$NOTE" "$(po answered)"
    keys DC; sleep 0.3
    words "clear-cell prompt" "$(poyn "Clear this cell? Its text goes to the history. (y/n)")"
    keys Escape; sleep 0.2
    finalize_prompt
    keys Escape; sleep 0.3

    # the delete prompt names the grid record: it wraps, keeping its letters
    keys Home d; sleep 0.3
    words "delete prompt with a record's name" "$(po "Delete %s? (y/n) It is kept as a tombstone in the file." | sed 's/.*%s[^ ]* //')"
    keys n; sleep 0.2

    # a new focus group: long theme labels, participant hint, topic notes
    keys n Up Enter
    wait_for "$(ft "$T/fg.all" /data/session/theme label)" || return
    keys Down Space Tab
    type_text "2025-03-14"; keys Tab Tab Tab Tab
    sleep 0.3
    words "theme: long choice labels wrap" "$(ft "$T/fg.all" /data/session/theme label)" \
        "$(ft "$T/fg.all" /data/session/theme "choice isi")" "$(ft "$T/fg.all" /data/session/theme "choice ipc")"
    keys Down Down Down Space; sleep 0.2
    keys PgDn; sleep 0.3
    words "participant: label and hint" "$(ft "$T/fg.all" /data/participant/code label)" \
        "$(ft "$T/fg.all" /data/participant/code hint)"
    # a long constraint message wraps
    type_text "P 01!"; keys Tab; sleep 0.3
    words "constraint message wraps whole" "$(ft "$T/fg.all" /data/participant/code "constraint message")"
    keys C-u; type_text "P01"; keys Tab; sleep 0.2
    keys PgDn; sleep 0.3
    i=0
    while [ $i -lt 8 ] && ! screen | grep -qF -- "$(ft "$T/fg.all" /data/guide/general label)"; do
        keys PgDn; sleep 0.3; i=$((i + 1))
    done
    words "topic note wraps whole" "$(ft "$T/fg.all" /data/guide/general/prompts label)"
    # an answer longer than the two rows a question shows when it is left
    # ends in …
    type_text "$(printf 'Rodzice mówią o żłobku i ośrodku pomocy społecznej. %.0s' 1 2 3 4 5)"
    sleep 0.3; keys Tab; sleep 0.3
    see_soon "a long answer left ends in …" clipmark "$T/screen" 3 $((ROWS - 3))
    keys PgDn; sleep 0.3
    words "theme's topic note wraps whole" "$(ft "$T/fg.all" /data/guide/isi/prompts label)"
    finalize_prompt
    keys Escape; sleep 0.3

    # capture on that record (the last edited: at the top of home)
    keys Home l
    wait_for "$(po "Note by %s%s" | sed 's/ *%s.*//')" || return
    help "capture"
    # the topic with the longest name: cut with …, its phase whole
    isi=$(ft "$T/fg.all" /data/note/topic "choice isi" | cut -c1-12)
    i=0
    while [ $i -lt 6 ] && ! screen | grep -qF -- "$isi"; do
        keys M-t; sleep 0.3; i=$((i + 1))
    done
    keys M-p; sleep 0.3
    words "capture: the phase after a long topic" "$(ft "$T/fg.all" /data/note/phase "choice state_of_play")"
    LONG="Rodzice mówią, że żłobek współpracuje z ośrodkiem pomocy społecznej, ale informacje o rodzinach nie są przekazywane dalej."
    type_text "$LONG"; keys Enter
    wait_for "dalej." >/dev/null
    words "capture: a long note wraps whole" "$LONG"
    keys F5; sleep 0.3
    words "capture: new participant prompt" "$(po "New participant's code (Enter, then consent y/n; Esc cancels):")"
    type_text "P02"; keys Enter; sleep 0.3
    words "capture: consent prompt" "$(po "Has %1\$s given informed consent? %2\$s yes, %3\$s no, Enter not asked yet" | sed 's/%[0-9]\$s//g')"
    keys Escape; sleep 0.2
    keys Escape; sleep 0.3
    keys F10
    check "$L ${COLS}x$ROWS: quits" test "$(wait_exit 10)" = 0
}

# home and its F1 in the other languages and English: column headers,
# state words, the conflicts count (the full run above covers bg pl de fi)
home_only() {
    L=$1 COLS=80 ROWS=24
    DB="$T/$L-home.sqlite"
    cp "$FIX" "$DB"
    start_app -- --lang "$L" "$DB"
    wait_for "$(npo "%lld merge conflict: press c" "%lld merge conflicts: press c" "$NCONF" | sed "s/%lld/$NCONF/")" 10 || return
    fits "home column headers" "$(po Form)" "$(po Title)" "$(po Country)" "$(po School)" \
        "$(po State)" "$(po "Last edit")" "$(po Author)"
    words "home state words" "$(po finalized)" "$(po draft)"
    help "home"
    keys F10
    check "$L ${COLS}x$ROWS: quits" test "$(wait_exit 10)" = 0
}

# FIT_ONLY="pl 80 24" runs one language at one size (to look at a failure)
if [ -n "${FIT_ONLY:-}" ]; then
    run $FIT_ONLY
    finish
fi
for lang in bg pl de fi; do
    run "$lang" 80 24
done
run bg 120 40
for lang in nb nl pt sk sl en; do
    home_only "$lang"
done
finish
