#!/bin/sh
# The corpus of real public ODK forms (tests/data/forms/real/, sources and
# licenses in its LICENSES): every one loads, and its question list —
# order, kinds, paths, labels, hints and choices in every language, as
# tests/odk/questions.awk reduces `--check-form FORM --lang all` — is the
# reference recorded beside it (NAME.questions, by tests/odk/reference.py).
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
BIN="$top_builddir/src/imas-survey"
DIR="$top_srcdir/tests/data/forms/real"
export LC_ALL=C.UTF-8
T=$(mktemp -d "${TMPDIR:-/tmp}/imas-corpus.XXXXXX")
trap 'rm -rf "$T"' EXIT

passed=0 failed=0
for form in "$DIR"/*.xml; do
    name=$(basename "$form" .xml)
    if ! "$BIN" --check-form "$form" --lang all >"$T/tree" 2>"$T/err"; then
        echo "FAIL: $name does not load: $(cat "$T/err")"
        failed=$((failed + 1)); continue
    fi
    awk -f "$top_srcdir/tests/odk/questions.awk" "$T/tree" >"$T/ours"
    if [ ! -s "$DIR/$name.questions" ]; then
        echo "FAIL: $name has no reference $name.questions"
        failed=$((failed + 1))
    elif ! diff -u "$DIR/$name.questions" "$T/ours" >"$T/diff"; then
        echo "FAIL: $name: the question list differs from the reference (-) :"
        head -40 "$T/diff"
        failed=$((failed + 1))
    elif ! grep -q "^$name.xml |" "$DIR/LICENSES"; then
        echo "FAIL: $name.xml is not in LICENSES"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$passed" -ge 40 ] || { echo "FAIL: the corpus needs at least 40 forms"; exit 1; }
[ "$failed" -eq 0 ]
