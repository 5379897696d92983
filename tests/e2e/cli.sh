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

# --lang: any case, - or _ before a region, no for nb; anything else refused
for l in DE de-AT de_at; do
    run 0 --lang "$l" --help && has out "Aufruf:" && ok "--lang $l is German"
done
run 0 --lang no --help && has out "Bruk:" && ok "--lang no is Norwegian (nb)"
run 0 --lang=pt_BR --help && has out "imas-survey" && ok "--lang=pt_BR"
run 0 --lang EN --help && has out "Usage: imas-survey" && ok "--lang EN"
run 2 --lang xx --report "$T/none.sqlite" && has err "unknown language 'xx'" && has err "de, fi, nb" \
    && lines err 2 && ok "--lang xx refused"
check "--lang xx: nothing on stdout" test ! -s "$T/out"
run 2 --lang all --report "$T/none.sqlite" && has err "unknown language 'all'" && ok "--lang all only with --check-form"
check "--lang xx: nothing created" test ! -e "$T/none.sqlite"

# an option's value never starts with -: it is the next option, forgotten value
for o in --lang --form-dir --check-form --into --export --format --output --form; do
    run 2 "$o" --report && has err "option '$o' needs an argument" && lines err 2 && ok "$o --report: needs an argument"
done

# a file name starting with -: a hint, and -- ends the options
run 2 --merge --into "$T/t.sqlite" -dash.sqlite && has err "unknown option '-d'" \
    && has err "put -- before it" && ok "-dash.sqlite: the hint to put -- before it"
run 2 --bogus && test "$(grep -c 'put --' "$T/err")" = 0 && ok "--bogus: no file name hint"
(cd "$T" && "$BIN" --merge --dry-run --into t.sqlite -- -dash.sqlite >out 2>err </dev/null)
check "-- then -dash.sqlite: taken as an input" grep -qF -- "-dash.sqlite" "$T/err"
check "-- then -dash.sqlite: no usage error" test "$(grep -c 'unknown option' "$T/err")" = 0
run 0 --help && has out "end the options" && ok "--help tells of --"

# an option after the files is refused, not taken as a file: --into after
# the inputs merged them and the intended target into the local file
GEN="$top_builddir/bench/make-survey-file"
"$GEN" --out "$T/in.sqlite" --records 2 --answers-per-record 3 --device x --seed 5 >/dev/null ||
    fail "make-survey-file"
cp "$T/in.sqlite" "$T/target.sqlite"
sum_before=$(cksum <"$T/target.sqlite")
run 2 --merge "$T/in.sqlite" --into "$T/target.sqlite" && has err "'--into' after a file" \
    && has err "options come before the files" && lines err 2 && ok "--into after the inputs: usage error"
check "--into after the inputs: the target untouched" test "$(cksum <"$T/target.sqlite")" = "$sum_before"
check "--into after the inputs: no local file made" test ! -e "$XDG_DATA_HOME/imas-survey/survey.sqlite"
run 2 "$T/target.sqlite" --lang en && has err "'--lang' after a file" && ok "--lang after the file: usage error"
run 0 --merge --dry-run --into "$T/target.sqlite" -- "$T/in.sqlite" && ok "-- then the inputs: merged (dry run)"

# --form-dir must be a directory
run 2 --form-dir "$T/nodir" --list-forms && has err "$T/nodir" && has err "not a directory" \
    && lines err 2 && ok "--form-dir missing refused"
: >"$T/plainfile"
run 2 --form-dir "$T/plainfile" --list-forms && has err "not a directory" && ok "--form-dir on a file refused"
run 0 --form-dir "$T" --list-forms && has out "imas-dimension-grid" && ok "--form-dir on a directory"

# no HOME, no XDG_DATA_HOME: the password database's home, never ./.local
pwhome=$(getent passwd "$(id -u)" | cut -d: -f6)
(cd "$T" && env -u XDG_DATA_HOME -u HOME -u IMAS_SURVEY_FILE "$BIN" --check >out 2>err </dev/null)
check "no HOME: not relative to the current directory" test "$(grep -c '\./\.local\|^imas-survey: \.local' "$T/err")" = 0
check "no HOME: the password database's home" grep -qF -- "$pwhome/.local/share/imas-survey/survey.sqlite" "$T/err" "$T/out"
check "no HOME: nothing made here" test ! -e "$T/.local"
# no home at all (a user the password database does not know): refused
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    setpriv --reuid=54321 --regid=54321 --clear-groups \
        env -u XDG_DATA_HOME -u HOME -u IMAS_SURVEY_FILE "$BIN" --check >"$T/out" 2>"$T/err" </dev/null
    check "no home at all: --check exits 1" test $? = 1
    has err "no home directory for the survey file"
fi

run 0 --list-forms && has out "imas-dimension-grid" && has out "ias-focus-group" && ok "--list-forms"
run 0 --check-form "$top_srcdir/forms/imas-dimension-grid.xml" && has out "imas-dimension-grid" && ok "--check-form on a shipped form"
printf '<h:html xmlns:h="http://www.w3.org/1999/xhtml">\n<h:head>\n' >"$T/broken.xml"
run 1 --check-form "$T/broken.xml" && has err "imas-survey: $T/broken.xml:" && lines err 1 && ok "--check-form on a broken form"
run 1 --check-form "$T/missing.xml" && has err "imas-survey: $T/missing.xml: No such file" && lines err 1 \
    && ok "--check-form on a missing file: one line with the program's name, as every error"

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
