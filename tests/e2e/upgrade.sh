#!/bin/sh
# A survey file of an older schema (tests/data/upgrade/survey-v2.sqlite,
# made by the program of schema 2) opened in the UI: it is upgraded to the
# current schema after a FILE.bak-v2 copy, keeps its records and answers,
# and one line on standard error said so first, which is still in the
# terminal after the program ends.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 shell not installed"

DB="$T/old.sqlite"
cp "$top_srcdir/tests/data/upgrade/survey-v2.sqlite" "$DB"
chmod 600 "$DB"
records=$(q "SELECT count(*) FROM records")
answers=$(q "SELECT count(*) FROM answers")
want=$(sed -n 's/^#define SCHEMA_VERSION \([0-9]*\).*/\1/p' \
    "$top_srcdir/src/store/schema.h")

start_app -- --form-dir "$top_srcdir/forms" "$DB"
check "the file is upgraded to schema $want" wait_q "PRAGMA user_version" "$want"
check "a copy of the file as it was is kept" test -f "$DB.bak-v2"
check "the copy is of schema 2" test "$(sqlite3 "$DB.bak-v2" 'PRAGMA user_version')" = 2
check "every record kept" wait_q "SELECT count(*) FROM records" "$records"
check "every answer kept" wait_q "SELECT count(*) FROM answers" "$answers"
wait_for "Records in this file" 10
keys q
check "the program ends with exit 0" test "$(wait_exit 10)" = 0
# The line is on the terminal's normal screen, which shows again once the
# program has left its own; tmux may read the program's last bytes after
# the exit status is known, so this waits for it (up to 10 s).
said() {
    i=0
    while [ $i -lt 200 ]; do
        tm capture-pane -p -t 0 -J -S - |
            grep -qF "upgrading the file from schema version 2 to $want" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    tm capture-pane -p -t 0 -J -S - | sed 's/^/    | /' >&2
    return 1
}
check "the upgrade was said on the terminal" said
check "--check finds it sound" "$BIN" --check "$DB"
finish
