#!/bin/sh
# tests/po-check.sh: every translation in po/LINGUAS compiles with
# `msgfmt --check` and is at least 95% translated against the strings the
# sources hold NOW (the .po merged with a fresh extraction, so a new _()
# string counts as untranslated before anyone runs update-po), and its
# Plural-Forms has the number of forms the language needs.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export LC_ALL=C
PO="$top_srcdir/po"
MIN=${PO_MIN_TRANSLATED:-95}

command -v msgfmt >/dev/null 2>&1 || { echo "SKIP: msgfmt not installed"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/imas-po.XXXXXX")
trap 'rm -rf "$T"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The strings of the current sources, with the options po/Makevars gives.
pot=""
if command -v xgettext >/dev/null 2>&1 && command -v msgmerge >/dev/null 2>&1; then
    opts=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' "$PO/Makevars")
    files=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PO/POTFILES.in")
    # shellcheck disable=SC2086
    if (cd "$top_srcdir" && xgettext --default-domain=imas-survey --language=C $opts \
            --output="$T/current.pot" $files); then
        pot="$T/current.pot"
    else
        fail "xgettext could not extract the strings of the sources"
    fi
else
    echo "note: xgettext/msgmerge missing: checking the .po files as they are"
fi

# nplurals each language needs (CLDR / gettext's own table).
nplurals_for() {
    case $1 in
    sl*) echo 4 ;;
    sk* | cs* | pl* | ru* | uk* | hr* | sr* | bs* | lt*) echo 3 ;;
    ja* | ko* | zh* | vi* | th* | id*) echo 1 ;;
    *) echo 2 ;;
    esac
}

langs=$(sed -e 's/#.*//' "$PO/LINGUAS")
[ -n "$langs" ] || fail "po/LINGUAS lists no language"
for lang in $langs; do
    po="$PO/$lang.po"
    if [ ! -f "$po" ]; then
        fail "$lang is in po/LINGUAS but po/$lang.po is missing"
        continue
    fi
    file=$po
    if [ -n "$pot" ]; then
        file="$T/$lang.po"
        msgmerge --quiet --no-fuzzy-matching -o "$file" "$po" "$pot" ||
            { fail "po/$lang.po: msgmerge failed"; continue; }
    fi
    if ! msgfmt --check --statistics -o /dev/null "$file" 2>"$T/stats"; then
        sed -e "s|$T/|po/|" -e "s|^|    |" "$T/stats" >&2
        fail "po/$lang.po: msgfmt --check found fatal errors"
        continue
    fi
    # "N translated messages[, N fuzzy translations][, N untranslated messages]."
    stats=$(tail -n 1 "$T/stats")
    count() { echo "$stats" | sed -n "s/.*\\b\\([0-9][0-9]*\\) $1.*/\\1/p"; }
    tr=$(count "translated message")
    fz=$(count "fuzzy translation")
    un=$(count "untranslated message")
    tr=${tr:-0} fz=${fz:-0} un=${un:-0}
    total=$((tr + fz + un))
    if [ "$total" -eq 0 ]; then
        fail "po/$lang.po: no messages ($stats)"
        continue
    fi
    if [ $((tr * 100)) -lt $((MIN * total)) ]; then
        fail "po/$lang.po: $tr of $total messages translated ($((tr * 100 / total))%), need $MIN% ($fz fuzzy, $un untranslated)"
    else
        echo "ok: po/$lang.po: $tr of $total translated"
    fi
    want=$(nplurals_for "$lang")
    got=$(sed -n 's/.*Plural-Forms: *nplurals=\([0-9]*\);.*/\1/p' "$po" | head -n 1)
    [ "$got" = "$want" ] || fail "po/$lang.po: Plural-Forms has nplurals=${got:-none}, $lang needs $want"
done

# every .po is listed, so none is silently left out of the build
for po in "$PO"/*.po; do
    [ -f "$po" ] || continue
    lang=$(basename "$po" .po)
    echo " $langs " | tr '\n' ' ' | grep -q " $lang " || fail "po/$lang.po is not in po/LINGUAS"
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
exit 0
