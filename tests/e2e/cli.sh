#!/bin/sh
# The command line: help, version, usage errors, forms, --check, and bad
# survey files refused with one line, exit 1, the file untouched.
. "$(dirname "$0")/lib.sh"

run() { # run EXPECTED_STATUS ARGS...: output in $T/out, $T/err
    want=$1; shift
    "$BIN" "$@" >"$T/out" 2>"$T/err" </dev/null
    got=$?
    if [ "$got" != "$want" ]; then
        fail "imas-survey $*: exit $got, expected $want"
        sed 's/^/    err| /' "$T/err" >&2
        return 1
    fi
    return 0
}
has() { grep -qF -- "$2" "$T/$1" || { fail "'$2' not in $1 of the last run"; sed 's/^/    | /' "$T/$1" >&2; }; }
lines() { test "$(wc -l <"$T/$1")" -eq "$2" || fail "$1 has $(wc -l <"$T/$1") lines, expected $2"; }

run 0 --help && has out "Usage: imas-survey" && has out "--check-form" && ok "--help"
run 0 --version && has out "imas-survey 0." && ok "--version"

run 2 --bogus && has err "unknown option '--bogus'" && has err "--help" && lines err 2 && ok "unknown option"
run 2 -x && has err "unknown option '-x'" && ok "unknown short option"
run 2 --check-form && has err "needs an argument" && ok "missing argument"
run 2 a.sqlite b.sqlite && has err "too many arguments" && ok "two files"
test -s "$T/out" && fail "usage errors print nothing on stdout"

run 0 --list-forms && has out "imas-dimension-grid" && has out "ias-focus-group" && ok "--list-forms"
run 0 --check-form "$top_srcdir/forms/imas-dimension-grid.xml" && has out "imas-dimension-grid" && ok "--check-form on a shipped form"
printf '<h:html xmlns:h="http://www.w3.org/1999/xhtml">\n<h:head>\n' >"$T/broken.xml"
run 1 --check-form "$T/broken.xml" && has err "$T/broken.xml:" && lines err 1 && ok "--check-form on a broken form"

# a new file via the environment, then --check on it
IMAS_SURVEY_FILE="$T/new.sqlite" "$BIN" --check >"$T/out" 2>"$T/err"
check "--check on a missing file fails" test $? = 1
check "--check does not create the file" test ! -e "$T/new.sqlite"

# without a terminal the UI refuses, and creates no file
IMAS_SURVEY_FILE="$T/none.sqlite" "$BIN" </dev/null >"$T/out" 2>"$T/err"
check "no terminal: exit 1" test $? = 1
has err "needs a terminal"
check "no terminal: no file created" test ! -e "$T/none.sqlite"

# bad survey files given as FILE: one line naming the file, exit 1, untouched
D="$T/files"
mkdir "$D"
printf 'just some text\n' >"$D/text.sqlite"
sqlite3 "$D/foreign.sqlite" 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'
mkdir "$D/dir.sqlite"
mkfifo "$D/fifo.sqlite"
# a missing FILE is made only for the terminal interface: without a
# terminal, nothing is created
run 1 "$D/missing.sqlite" && has err "needs a terminal" && lines err 1 && ok "missing file without a terminal refused"
check "missing file without a terminal: not created" test ! -e "$D/missing.sqlite"
run 1 "$D/no/such/dir.sqlite" && lines err 1 && ok "missing directory refused"
check "missing directory: nothing created" test ! -e "$D/no"
for f in "$D/text.sqlite" "$D/foreign.sqlite" "$D/dir.sqlite" "$D/fifo.sqlite"; do
    before=$(ls -la --time-style=full-iso "$D" | sort; [ -f "$f" ] && sha256sum "$f")
    run 1 "$f" && lines err 1 && has err "imas-survey: $f: " && ok "refused $(basename "$f")"
    after=$(ls -la --time-style=full-iso "$D" | sort; [ -f "$f" ] && sha256sum "$f")
    [ "$before" = "$after" ] || fail "$(basename "$f") or its directory changed"
done

finish
