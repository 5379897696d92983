#!/bin/sh
# The HTML reports in a real browser: headless chromium renders them (a
# screenshot of the page), and the DOM it builds holds the grid's gap table
# with a row per dimension and a column per country, and the focus groups'
# tag x country heat map with a row per tag and a column per country.
# Skipped (77) without chromium; ./bootstrap installs it.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "SKIP: chromium not installed"; exit 77; }

S="$T/survey.sqlite"
"$top_builddir/tests/unit/make-export-fixture" "$S" "$top_srcdir/forms" >/dev/null || { fail "fixture"; # the focus groups' report
"$BIN" --report --form ias-focus-group --format html --output "$T/fg.html" "$S" \
    || fail "--report --form ias-focus-group --format html"
PAGE=fg.html
rm -f "$T/report.png"
browse --screenshot="$T/fg.png" >/dev/null
check "chromium renders the focus-group report" test -s "$T/fg.png"
check "its screenshot is a PNG" test "$(head -c 4 "$T/fg.png" | od -An -c | tr -d ' ')" = '211PNG'
check "its screenshot is not blank" test "$(wc -c <"$T/fg.png")" -gt 20000
browse --dump-dom >"$T/fg-dom.html"
sed -n '/<table id="tag-country-table" class="heat">/,/<\/table>/p' "$T/fg-dom.html" >"$T/heat.html"
rows=$(grep -c '<tr>' "$T/heat.html")
check "tag x country: header and 11 tags ($rows rows)" test "$rows" = 12
grep -q '<th>Poland</th><th>Slovenia</th>' "$T/heat.html" && ok "a column per country" || fail "no country columns"
grep -q '<tr><th>#access</th><td class="num" style="background:hsl(210,70%,84%)">1</td><td class="num" style="background:hsl(210,70%,60%)">3</td></tr>' "$T/heat.html" \
    && ok "heat map colours by count" || fail "no heat colours"
grep -q 'Zakon naj določi enotno točko vstopa.' "$T/fg-dom.html" && ok "Slovene text" || fail "Slovene text lost"
grep -q '<h2>Recommendations by level</h2>' "$T/fg-dom.html" && ok "recommendations section" || fail "no recommendations"

finish; }
"$BIN" --report --format html --output "$T/report.html" "$S" || fail "--report --format html"

PAGE=report.html
browse() { # browse OPTION...: chromium on the report, no network, no profile of ours
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --user-data-dir="$T/chromium" --proxy-server=127.0.0.1:9 \
        --window-size=1200,1600 "$@" "file://$T/$PAGE" 2>"$T/chromium.err"
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

# the focus groups' report
"$BIN" --report --form ias-focus-group --format html --output "$T/fg.html" "$S" \
    || fail "--report --form ias-focus-group --format html"
PAGE=fg.html
rm -f "$T/report.png"
browse --screenshot="$T/fg.png" >/dev/null
check "chromium renders the focus-group report" test -s "$T/fg.png"
check "its screenshot is a PNG" test "$(head -c 4 "$T/fg.png" | od -An -c | tr -d ' ')" = '211PNG'
check "its screenshot is not blank" test "$(wc -c <"$T/fg.png")" -gt 20000
browse --dump-dom >"$T/fg-dom.html"
sed -n '/<table id="tag-country-table" class="heat">/,/<\/table>/p' "$T/fg-dom.html" >"$T/heat.html"
rows=$(grep -c '<tr>' "$T/heat.html")
check "tag x country: header and 11 tags ($rows rows)" test "$rows" = 12
grep -q '<th>Poland</th><th>Slovenia</th>' "$T/heat.html" && ok "a column per country" || fail "no country columns"
grep -q '<tr><th>#access</th><td class="num" style="background:hsl(210,70%,84%)">1</td><td class="num" style="background:hsl(210,70%,60%)">3</td></tr>' "$T/heat.html" \
    && ok "heat map colours by count" || fail "no heat colours"
grep -q 'Zakon naj določi enotno točko vstopa.' "$T/fg-dom.html" && ok "Slovene text" || fail "Slovene text lost"
grep -q '<h2>Recommendations by level</h2>' "$T/fg-dom.html" && ok "recommendations section" || fail "no recommendations"

finish
