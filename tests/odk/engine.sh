#!/bin/sh
# Both shipped forms load in ODK's own engine (@getodk/xforms-engine, the
# engine of ODK Web Forms, under node with jsdom), and its question list —
# kinds, paths, labels, hints and choices in every language — is the one
# `imas-survey --check-form FORM --lang all` prints (tests/odk/questions.awk).
# ./bootstrap installs node and the two npm packages into tests/odk/
# (git-ignored); without them this test is skipped, saying why. The real
# forms of tests/data/forms/real/ must load there too, with the same list
# unless tests/odk/engine-differences gives the reason.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
ODK="$top_srcdir/tests/odk"
BIN="$top_builddir/src/imas-survey"
export LC_ALL=C.UTF-8

command -v node >/dev/null 2>&1 || { echo "SKIP: node is not installed (./bootstrap installs nodejs)"; exit 77; }
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' || {
    echo "SKIP: node $(node --version) is older than the engine needs (20.19)"; exit 77; }
[ -f "$ODK/node_modules/@getodk/xforms-engine/package.json" ] && [ -d "$ODK/node_modules/jsdom" ] || {
    echo "SKIP: @getodk/xforms-engine and jsdom are not installed in tests/odk (./bootstrap: npm install --prefix tests/odk)"
    exit 77
}

T=$(mktemp -d "${TMPDIR:-/tmp}/imas-odk.XXXXXX")
trap 'rm -rf "$T"' EXIT
failures=0
for form in "$top_srcdir"/forms/*.xml; do
    name=$(basename "$form" .xml)
    if ! node "$ODK/engine-questions.mjs" "$ODK" "$form" >"$T/$name.odk" 2>"$T/$name.err"; then
        echo "FAIL: $name does not load in ODK's engine:"; cat "$T/$name.err"
        failures=$((failures + 1)); continue
    fi
    "$BIN" --check-form "$form" --lang all | awk -f "$ODK/questions.awk" >"$T/$name.ours"
    n=$(grep -c '^[a-z0-9]* /' "$T/$name.ours")
    if [ "$n" -lt 10 ] || ! diff -u "$T/$name.ours" "$T/$name.odk"; then
        echo "FAIL: $name: our question list (-) differs from ODK's engine (+), or is empty"
        failures=$((failures + 1))
    else
        echo "ok: $name: $n questions, $(wc -l <"$T/$name.ours") lines the same in ODK's engine"
    fi
done
passed=$((2 - failures))

# The corpus of real forms: each loads in the engine (one node for all),
# and lists the same questions unless tests/odk/engine-differences says why not.
CORPUS="$top_srcdir/tests/data/forms/real"
set --
for form in "$CORPUS"/*.xml; do set -- "$@" "$form" "$T/$(basename "$form" .xml).real"; done
if ! node "$ODK/engine-questions.mjs" "$ODK" "$@" 2>"$T/corpus.err"; then
    echo "FAIL: corpus forms that do not load in ODK's engine:"; cat "$T/corpus.err"
    failures=$((failures + 1))
fi
same=0 explained=0
for form in "$CORPUS"/*.xml; do
    name=$(basename "$form" .xml)
    [ -f "$T/$name.real" ] || continue
    if cmp -s "$CORPUS/$name.questions" "$T/$name.real"; then
        same=$((same + 1))
    elif grep -q "^$name.xml " "$ODK/engine-differences"; then
        explained=$((explained + 1))
    else
        echo "FAIL: $name: ODK's engine (+) lists other questions than we do (-):"
        diff -u "$CORPUS/$name.questions" "$T/$name.real" | head -30
        failures=$((failures + 1))
    fi
done
echo "ok: corpus: $same forms list the same questions in ODK's engine, $explained differ as tests/odk/engine-differences explains"
[ "$failures" -eq 0 ] && passed=$((passed + 1))
echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
