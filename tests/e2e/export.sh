#!/bin/sh
# --export and --report from the command line: the files written, the
# options, usage errors (exit 2), refusals (exit 1, one line naming the
# file), an export interrupted by a signal leaving no file, and the report
# written to --output.
. "$(dirname "$0")/lib.sh"

FIXTURE="$top_builddir/tests/unit/make-export-fixture"
S="$T/survey.sqlite"
deleted=$("$FIXTURE" "$S" "$top_srcdir/forms") || { fail "fixture"; finish; }
G=imas-dimension-grid-2026112301
F=ias-focus-group-2026112301

run() { # run EXPECTED_STATUS ARGS...: output in $T/out, $T/err
    want=$1; shift
    "$BIN" "$@" >"$T/out" 2>"$T/err" </dev/null
    got=$?
    [ "$got" = "$want" ] && return 0
    fail "imas-survey $*: exit $got, expected $want"
    sed 's/^/    err| /' "$T/err" >&2
    return 1
}
has() { grep -qF -- "$2" "$1" || { fail "'$2' not in $1"; sed 's/^/    | /' "$1" >&2; }; }
lacks() { ! grep -rqF -- "$2" "$1" || fail "'$2' found in $1"; }

run 0 --help && has "$T/out" "--export DIR" && has "$T/out" "--report" && has "$T/out" "--finalized" \
    && ok "--help lists --export and --report"

# CSV export: the files, exit 0, a summary
run 0 --export "$T/csv" "$S" && ok "--export"
for f in $G/wide.csv $G/long.csv $G/codebook.csv $G/audit.csv $F/wide.csv $F/long.csv $F/codebook.csv \
    $F/repeat-participant.csv $F/repeat-note.csv $F/participants.csv; do
    [ -s "$T/csv/$f" ] || fail "$f missing"
done
check "a transcript per session" test "$(ls "$T/csv/$F/transcripts" | wc -l)" = 2
has "$T/out" "6 records, 132 answers exported in 13 files"
has "$T/csv/$G/wide.csv" "Законът не споменава асистентите;"
has "$T/csv/$G/wide.csv" "'=HYPERLINK"
has "$T/csv/$F/transcripts/"2026-03-02_PL_*.txt "P02 (Policy maker): We fund it"
# deleted rows are never exported; a deleted record's uuid is only in the
# audit table, on its delete
for id in $deleted; do
    ! grep -rqF --exclude='audit.csv' -- "$id" "$T/csv" || fail "'$id' exported"
done
check "the delete audited" test "$(grep -c ",delete,," "$T/csv/$G/audit.csv")" = 1
has "$T/csv/$G/audit.csv" 'reopen,"Fehler im Datum; ""korrigiert""",,'
has "$T/csv/$G/audit.csv" ',resolve,,grid/funding/gap,'
has "$T/csv/$F/transcripts/"2026-03-02_PL_*.txt "P02 (Policy maker): =1+1 is not a formula here [typed while paused]"
check "no temporary files left" test -z "$(find "$T/csv" -name '.*' -type f)"
# DIR typed with a slash at its end (as Tab completes it): each form's
# directory printed as DIR/form-version, one line each
run 0 --export "$T/slash/" "$S" && has "$T/out" "$T/slash/$G" && ok "DIR/ printed once"
check "no // in the directories printed" test -z "$(grep -F '//' "$T/out")"

# JSON, --finalized, --bom, --raw
run 0 --export "$T/json" --format json "$S" && ok "--format json"
python3 -m json.tool "$T/json/$G/wide.json" >/dev/null && ok "wide.json parses" || fail "wide.json"
check "no CSV in a JSON export" test ! -e "$T/json/$G/wide.csv"
run 0 --export "$T/fin" --finalized "$S" && ok "--finalized"
check "--finalized: one grid record" test "$(grep -c '^019' "$T/fin/$G/wide.csv")" = 1
check "--finalized: the draft session left out" test ! -e "$T/fin/$F"
# every count in the summary with its plural (ngettext), in English and Polish
has "$T/out" "1 record, 10 answers exported in 4 files"
run 0 --lang pl --export "$T/fin-pl" --finalized "$S" && has "$T/out" "1 rekord, 10 odpowiedzi wyeksportowano w 4 plikach" \
    && ok "--finalized summary in Polish plurals"
run 0 --lang pl --export "$T/all-pl" "$S" && has "$T/out" "6 rekordów, 132 odpowiedzi wyeksportowano w 13 plikach" \
    && ok "summary in Polish plurals"
run 0 --bom --raw --export "$T/bom" "$S" && ok "--bom --raw"
check "--bom: byte order mark" test "$(head -c 3 "$T/bom/$G/wide.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
has "$T/bom/$G/wide.csv" ",\"=HYPERLINK("

# usage errors: exit 2, nothing written
run 2 --export && has "$T/err" "needs an argument" && ok "--export without DIR"
run 2 --export "$T/x" --format xml "$S" && has "$T/err" "unknown format 'xml'" && ok "bad export format"
run 2 --report --format csv "$S" && has "$T/err" "unknown format 'csv'" && ok "bad report format"
run 2 --bom "$S" && has "$T/err" "--bom needs --export" && ok "--bom alone"
run 2 --output "$T/r.txt" "$S" && has "$T/err" "--output needs --report" && ok "--output alone"
run 2 --format json "$S" && ok "--format alone"
run 2 --export "$T/x" --report "$S" && has "$T/err" "cannot be combined" && ok "--export with --report"
check "usage errors wrote nothing" test ! -e "$T/x"

# refusals: exit 1, one line naming the file
run 1 --export "$T/out1" "$T/missing.sqlite" && has "$T/err" "$T/missing.sqlite" && ok "missing survey file"
check "missing file not created" test ! -e "$T/missing.sqlite"
: >"$T/plain"
run 1 --export "$T/plain" "$S" && has "$T/err" "$T/plain: not a directory" && ok "DIR is a file"
test "$(wc -l <"$T/err")" -eq 1 || fail "more than one line on stderr"
run 1 --export "$T/no/such/dir" "$S" && has "$T/err" "$T/no/such/dir" && ok "DIR's parent missing"
# --report --output names a file: a directory, or a name ending in '/', is
# refused saying so (not a bare "Not a directory"), nothing written
mkdir "$T/rdir"
run 1 --report --output "$T/rdir" "$S" \
    && has "$T/err" "imas-survey: $T/rdir: a directory: --output names the file" && ok "--output DIR"
run 1 --report --output "$T/rdir/" "$S" \
    && has "$T/err" "imas-survey: $T/rdir/: a directory: --output names the file" && ok "--output DIR/"
run 1 --report --output "$T/nodir/" "$S" \
    && has "$T/err" "$T/nodir/: a directory: --output names the file" && ok "--output NEW/"
test "$(wc -l <"$T/err")" -eq 1 || fail "more than one line on stderr"
check "--output DIR wrote nothing" test -z "$(ls -A "$T/rdir")"
check "--output NEW/ made nothing" test ! -e "$T/nodir"

# interrupted: a SIGTERM during the export leaves no file (whether it came
# before the handler, exit 143, or during the export, exit 1)
mkdir "$T/int"
"$BIN" --export "$T/int" "$S" >/dev/null 2>"$T/err" &
pid=$!
kill -TERM $pid 2>/dev/null
wait $pid
st=$?
if [ $st = 0 ]; then
    echo "note: the export finished before the signal"
else
    check "interrupted: exit 1 or killed" test $st = 1 -o $st = 143
    check "interrupted: no file" test -z "$(find "$T/int" -type f)"
fi

# the report
run 0 --report "$S" && has "$T/out" "cross-country report" && has "$T/out" "Bulgaria" \
    && has "$T/out" "Законът не споменава асистентите;" && ok "--report text"
run 0 --report --format md "$S" && has "$T/out" "| dimension | BG | PT | SK |" && ok "--report md"
run 0 --report --format html --output "$T/r.html" "$S" && ok "--report html --output"
check "--output: nothing on stdout" test ! -s "$T/out"
has "$T/r.html" '<table id="gap-table">'
# every name in the report language, however it was chosen: --lang, or a
# locale that is not generated (C.UTF-8 + LANGUAGE, as for the messages)
for how in "--lang bg" "LANG"; do
    if [ "$how" = LANG ]; then
        env -u LC_ALL -u LANGUAGE LANG=bg_BG.UTF-8 "$BIN" --report --format html "$S" >"$T/bg.html" 2>"$T/err"
    else
        "$BIN" --lang bg --report --format html "$S" >"$T/bg.html" 2>"$T/err"
    fi
    has "$T/bg.html" "Правна рамка" && has "$T/bg.html" '<th title="България">BG</th>' \
        && has "$T/bg.html" "Учител</th>" && has "$T/bg.html" "[Национално ниво]" \
        && has "$T/bg.html" ">1 – няма</span>" && has "$T/bg.html" "Целево състояние по подразбиране" \
        && has "$T/bg.html" "Приобщаващото образование е право по закон;" \
        && lacks "$T/bg.html" "Legal framework" && lacks "$T/bg.html" "Bulgaria" \
        && lacks "$T/bg.html" "1 – none" && lacks "$T/bg.html" "severe" && ok "report in Bulgarian ($how)"
done
# the focus groups' report: --form chooses it (the file has grids too)
run 0 --report --form ias-focus-group "$S" && has "$T/out" "IAS focus group: focus-group report" \
    && has "$T/out" "Tags by country" && has "$T/out" "Recommendations by level" \
    && lacks "$T/out" "cross-country report" && ok "--report --form ias-focus-group"
run 0 --lang pl --report --form ias-focus-group --format md "$S" && has "$T/out" "| Polska | Słowenia |" \
    && has "$T/out" "Otwarte miejsca spotkań" && ok "focus-group report in Polish"
run 1 --report --form no-such-form "$S" && has "$T/err" "no records of form 'no-such-form'" \
    && ok "--form of no records: exit 1"
run 2 --export "$T/f" --form x "$S" && has "$T/err" "--form needs --report" && ok "--form without --report"
# each country's own target state where it was edited; the default elsewhere
run 0 --lang pt --report "$S" && has "$T/out" "Законът урежда асистента като педагогически специалист" \
    && has "$T/out" "Situação desejada: a predefinida" \
    && has "$T/out" "A educação inclusiva é um direito consagrado na lei;" \
    && lacks "$T/out" "Inclusive education is a right in law" && ok "report: own and default target states"
run 1 --report --output "$T/no/such/r.html" "$S" && has "$T/err" "$T/no/such" && ok "--output into a missing directory"
# --output naming the survey file (also through a link) never replaces it
ln -s "$S" "$T/link.sqlite"
sum=$(sha256sum <"$S")
run 1 --report --output "$T/link.sqlite" "$S" && has "$T/err" "$T/link.sqlite: it is the survey file" \
    && ok "--output naming the survey file is refused"
check "the survey file is left as it was" test "$sum" = "$(sha256sum <"$S")"
# stored text never reaches the terminal raw
sqlite3 "$S" "UPDATE answer_rows SET value = 'evil' || char(27) || '[2J' WHERE field = '/data/grid/funding/gap' AND value = '1'"
run 0 --report "$S"
check "no escape character in the text report" test -z "$(tr -d -c '\033' <"$T/out")"

finish
