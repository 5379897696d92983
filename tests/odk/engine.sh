#!/bin/sh
# Both shipped forms load in ODK's own engine (@getodk/xforms-engine, the
# engine of ODK Web Forms, under node with jsdom), and its question list —
# kinds, paths, labels, hints and choices in every language — is the one
# `imas-survey --check-form FORM --lang all` prints (tests/odk/questions.awk).
# ./bootstrap installs node and the two npm packages into tests/odk/
# (git-ignored); without them this test is skipped, saying why.
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
echo "$((2 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
