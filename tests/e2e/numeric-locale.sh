#!/bin/sh
# Numbers do not depend on the user's locale: under a decimal-comma locale
# (de_DE.UTF-8, generated here with localedef) a form with decimal bounds
# loads, a typed 42.69 is read as 42.69 (its constraint passes), a
# geopoint and a decimal range are stored as typed, a calculate writes a
# decimal point, and --report and --export write exactly what they write
# under C.UTF-8. SKIP where the locale cannot be made.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
command -v localedef >/dev/null 2>&1 || skip "localedef not installed (Debian package locales)"
FIXTURE="$top_builddir/tests/unit/make-export-fixture"
[ -x "$FIXTURE" ] || skip "$FIXTURE not built"

LOC="$T/locale"
mkdir -p "$LOC"
localedef -i de_DE -f UTF-8 "$LOC/de_DE.UTF-8" >/dev/null 2>&1
[ "$(LOCPATH=$LOC LC_ALL=de_DE.UTF-8 awk 'BEGIN { printf "%.1f", 3.5 }' 2>/dev/null)" = "3,5" ] ||
    [ "$(LOCPATH=$LOC LC_ALL=de_DE.UTF-8 sh -c 'locale decimal_point' 2>/dev/null)" = "," ] ||
    skip "could not make a decimal-comma locale (localedef -i de_DE: locales package missing?)"
DE="LOCPATH=$LOC LC_ALL=de_DE.UTF-8 LANGUAGE=en"
FORMS="$top_srcdir/tests/data/forms/numbers"

# the form loads the same (its range has decimal start, end and step)
"$BIN" --check-form "$FORMS/numbers.xml" >"$T/form.c" 2>&1
env $DE "$BIN" --check-form "$FORMS/numbers.xml" >"$T/form.de" 2>&1
check "--check-form loads the form under de_DE" test $? = 0
check "--check-form prints the same under de_DE" cmp -s "$T/form.c" "$T/form.de"

DB="$T/numbers.sqlite"
start_app $DE IMAS_SURVEY_FILE="$DB" -- --form-dir "$FORMS"
wait_for "Numbers  (numbers, 1)"
keys n
wait_for "Choose a form"
keys Enter
wait_for "Weight (kg)"
type_text "42.69"; keys Tab
check "a decimal typed with a point is read as such (constraint 42.5 < x < 42.7)" \
    wait_q "SELECT value FROM answers WHERE field = '/data/weight'" 42.69
check "a calculate writes a decimal point" \
    wait_q "SELECT value FROM answers WHERE field = '/data/double'" 85.38
wait_for "Place"
type_text "48.2082 16.3738 171.5 5"; keys Tab
check "a geopoint is stored as typed" \
    wait_q "SELECT value FROM answers WHERE field = '/data/place'" "48.2082 16.3738 171.5 5"
wait_for "Level"
type_text "1.5"; keys Tab
check "a decimal range value is stored as typed" \
    wait_q "SELECT value FROM answers WHERE field = '/data/level'" 1.5
check "nothing refused on the way" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Between 42.5'"
keys F10
check "F10 exits with status 0" test "$(wait_exit)" = 0

# the report's means and the export's numbers: byte for byte as under C
S="$T/survey.sqlite"
"$FIXTURE" "$S" "$top_srcdir/forms" >/dev/null || { fail "fixture"; finish; }
for fmt in text md html; do
    "$BIN" --lang en --report --format $fmt "$S" >"$T/report.c" 2>&1
    env $DE "$BIN" --report --format $fmt "$S" >"$T/report.de" 2>&1
    check "--report --format $fmt is the same under de_DE" cmp -s "$T/report.c" "$T/report.de"
done
check "the report has decimal means with a point" grep -q '[0-9]\.[0-9]' "$T/report.c"
"$BIN" --export "$T/out.c" "$S" >/dev/null 2>&1
env $DE "$BIN" --export "$T/out.de" "$S" >/dev/null 2>&1
check "--export writes the same under de_DE" diff -r "$T/out.c" "$T/out.de"
finish
