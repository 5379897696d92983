#!/bin/sh
# Languages: --lang and the locale choose the messages (also where the
# locale itself was never generated: C.UTF-8 + LANGUAGE), the form labels
# follow, and the home screen in Bulgarian and Polish fits 80x24 without a
# character cut in half.
. "$(dirname "$0")/lib.sh"

out() { "$@" >"$T/out" 2>"$T/err" </dev/null; echo $? >"$T/rc"; }
has() { grep -qF -- "$2" "$T/$1" || { fail "'$2' not in $1"; sed 's/^/    | /' "$T/$1" >&2; }; }

out "$BIN" --lang bg --help
has out "Употреба: imas-survey [ОПЦИЯ]... [ФАЙЛ]" && has out "--check-form" && ok "--lang bg --help"
out env -u LC_ALL -u LANGUAGE LANG=pl_PL.UTF-8 "$BIN" --help
has out "Użycie: imas-survey [OPCJA]... [PLIK]" && ok "LANG=pl_PL.UTF-8 --help"
out env -u LC_ALL -u LANGUAGE -u LANG LC_MESSAGES=sl_SI.UTF-8 "$BIN" --help
has out "Uporaba: imas-survey" && ok "LC_MESSAGES=sl_SI.UTF-8 --help"
out env -u LANGUAGE LC_ALL=C.UTF-8 LANG=bg_BG.UTF-8 "$BIN" --help
has out "Usage: imas-survey" && ok "LC_ALL wins over LANG"
out env -u LC_ALL -u LANG -u LANGUAGE "$BIN" --lang de --bogus
has err "unbekannte Option »--bogus«" && check "usage error in German exits 2" test "$(cat "$T/rc")" = 2

# the form's labels follow --lang (by the code in "Български (bg)")
out "$BIN" --lang bg --check-form "$top_srcdir/forms/imas-dimension-grid.xml"
has out "Правна рамка" && ok "--lang bg picks the form's Bulgarian labels"
out "$BIN" --lang pl --check-form "$top_srcdir/forms/ias-focus-group.xml"
has out "Otwarte miejsca spotkań" && ok "--lang pl picks the form's Polish labels"
out "$BIN" --lang de --check-form "$top_srcdir/forms/ias-focus-group.xml"
has out "Open meeting places" && ok "a language the form lacks falls back to its default"
out "$BIN" --lang xx --check-form "$top_srcdir/forms/ias-focus-group.xml"
has err "unknown language 'xx'" && check "--lang xx is a usage error" test "$(cat "$T/rc")" = 2

# counts with their plural forms (ngettext): Slovak has three
out "$BIN" --lang sk --merge --dry-run --into "$T/none.sqlite" "$T/missing.sqlite"
has out "spolu: zlúčených 0, odmietnutý 1;" && check "--merge of a missing input exits 1" test "$(cat "$T/rc")" = 1
touch "$T/m2" "$T/m3"
out "$BIN" --lang sk --merge --dry-run --into "$T/none.sqlite" "$T/m2" "$T/m3"
has out "spolu: zlúčených 0, odmietnuté 2;" && ok "merge total in Slovak plurals"

screen_is_utf8() { screen | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; }

start_app LC_ALL= LANGUAGE= LANG=bg_BG.UTF-8 --
wait_for "Налични формуляри: 2"
wait_for "Записи в този файл: 0"
wait_for "F10 Изход"
check "Bulgarian screen is whole UTF-8" screen_is_utf8
keys F1
wait_for "Клавиши на този екран"
wait_for "Изход (всичко вече е записано)"
keys Escape
wait_for "Записи в този файл: 0"
keys q
check "q exits (bg)" test "$(wait_exit)" = 0
tm kill-server

start_app LC_ALL= LANGUAGE= LANG=pl_PL.UTF-8 --
wait_for "Dostępne formularze: 2"
wait_for "F10 Wyjście"
check "Polish screen is whole UTF-8" screen_is_utf8
resize 40 24
wait_for "Terminal jest za mały"
check "Polish narrow screen is whole UTF-8" screen_is_utf8
resize 80 24
wait_for "Rekordy w tym pliku: 0"
keys F10
check "F10 exits (pl)" test "$(wait_exit)" = 0
finish
