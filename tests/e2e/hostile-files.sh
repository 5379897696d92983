#!/bin/sh
# Hostile files at the command line (SPEC 4): a form or survey file from
# outside whose text holds escape sequences, C1 controls or bidi overrides
# never reaches the terminal raw, from --check-form, --list-forms, an error
# message quoting the file or its name, or a usage error.
. "$(dirname "$0")/lib.sh"

# the bytes that must never come out: ESC, BEL, C1 CSI (U+009B) and the
# bidi overrides and isolates (U+202E, U+2066)
raw() { LC_ALL=C grep -c "$(printf '\033\\|\007\\|\302\233\\|\342\200\256\\|\342\201\246')" "$@" | grep -qv ':0$\|^0$'; }
clean() { ! raw "$@"; }

G="$top_srcdir/tests/data/forms/good-two-languages.xml"
mkdir -p "$T/forms"
# a title and a label with a C1 CSI and a right-to-left override, as
# character references and as raw characters
sed -e "s|<h:title>Two languages|<h:title>T\&#x9B;31m\&#x202E;evil$(printf '\342\200\256')|" \
    -e "s|<value>Role</value>|<value>R$(printf '\302\233')2J\&#x2066;x</value>|" \
    "$G" >"$T/forms/c1.xml"
"$BIN" --check-form "$T/forms/c1.xml" >"$T/out" 2>"$T/err"
check "--check-form loads the form with controls in its text" test $? = 0
check "--check-form shows its title and label without them" clean "$T/out" "$T/err"
check "--check-form still shows the rest of the title" grep -q 'evil' "$T/out"
"$BIN" --form-dir "$T/forms" --list-forms >"$T/out" 2>"$T/err"
check "--list-forms shows the title without controls" clean "$T/out" "$T/err"
check "--list-forms lists the form" grep -q '^two-langs	7	T' "$T/out"

# an error message quotes the expression: no control reaches stderr
sed "s|string-length(/data/role) &gt; 0|$(printf '\302\233')31m$(printf '\342\200\256')(((|" \
    "$G" >"$T/xpath.xml"
"$BIN" --check-form "$T/xpath.xml" >"$T/out" 2>"$T/err"
check "a form with a broken expression is refused (exit 1)" test $? = 1
check "its message names the file and line" grep -q 'xpath.xml:[0-9]*: XPath' "$T/err"
check "its message quotes the expression without controls" clean "$T/err"

# a file name with a title-setting escape, in every command that names it
evil="$T/x$(printf '\033]0;PWNED\007').sqlite"
for args in "--check" "--export $T/ex" "--merge --into $T/t.sqlite --"; do
    # shellcheck disable=SC2086
    "$BIN" $args "$evil" >"$T/out" 2>"$T/err"
    check "$args on a missing file with an escape in its name: exit 1" test $? = 1
    check "$args names it without the escape" clean "$T/out" "$T/err"
done
"$BIN" --check-form "$T/x$(printf '\033[2J').xml" >"$T/out" 2>"$T/err"
check "--check-form names a missing form without the escape" clean "$T/err"
"$BIN" --form-dir "$T/x$(printf '\033]0;PWNED\007')" >"$T/out" 2>"$T/err"
check "a usage error quoting a name: exit 2" test $? = 2
check "the usage error shows the name without the escape" clean "$T/err"
check "... and still says what is wrong" grep -q 'is not a directory' "$T/err"

finish
