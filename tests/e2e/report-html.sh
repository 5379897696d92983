#!/bin/sh
# The HTML report in a real browser: headless chromium renders it (a
# screenshot of the page), and the DOM it builds holds the gap table with a
# row per dimension and a column per country. Skipped (77) without chromium;
# ./bootstrap installs it.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "SKIP: chromium not installed"; exit 77; }

S="$T/survey.sqlite"
"$top_builddir/tests/unit/make-export-fixture" "$S" "$top_srcdir/forms" >/dev/null || { fail "fixture"; finish; }
"$BIN" --report --format html --output "$T/report.html" "$S" || fail "--report --format html"

browse() { # browse OPTION...: chromium on the report, no network, no profile of ours
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/chromium" --proxy-server=127.0.0.1:9 \
        --window-size=1200,1600 "$@" "file://$T/report.html" 2>"$T/chromium.err"
}

browse --screenshot="$T/report.png" >/dev/null
check "chromium renders a screenshot" test -s "$T/report.png"
check "the screenshot is a PNG" test "$(head -c 4 "$T/report.png" | od -An -c | tr -d ' ')" = '211PNG'
# not a blank page: a white PNG of this size compresses to a few kB
check "the screenshot is not blank" test "$(wc -c <"$T/report.png")" -gt 20000

browse --dump-dom >"$T/dom.html"
grep -q '<table id="gap-table">' "$T/dom.html" && ok "the DOM holds the gap table" || fail "no gap table in the DOM"
rows=$(sed -n '/<table id="gap-table">/,/<\/table>/p' "$T/dom.html" | grep -c '<tr>')
check "gap table: header and 12 dimensions ($rows rows)" test "$rows" = 13
grep -q '<th title="Bulgaria">BG</th>' "$T/dom.html" && ok "country column" || fail "no BG column"
grep -q 'background:hsl(' "$T/dom.html" && ok "heat map colours" || fail "no colours"
grep -q 'Законът не споменава асистентите;' "$T/dom.html" && ok "Cyrillic text" || fail "Cyrillic lost"

finish
