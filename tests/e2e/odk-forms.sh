#!/bin/sh
# Constructs of real ODK forms, driven as a user meets them: a required
# photo question (<upload>) without a file blocks finalizing (attaching a
# file: attach.sh); setvalue on xforms-value-changed saves its target when
# the answer is saved; metadata preloads fill in the laptop's device id and
# the author (phone-only properties stay empty).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
q() { sqlite3 "$DB" "$1" 2>/dev/null; }
# poll the file: the screen may show a value before it is on disk
wait_q() { # wait_q SQL EXPECTED
    i=0
    while [ $i -lt 100 ]; do
        [ "$(q "$1")" = "$2" ] && return 0
        sleep 0.1; i=$((i + 1))
    done
    echo "got: $(q "$1")" >&2
    return 1
}
FORMS="$T/forms"
mkdir -p "$FORMS"

# --- upload: a question like any other (attaching: attach.sh); a required
# photo not attached blocks finalize
cp "$top_srcdir/tests/data/forms/good-upload.xml" "$FORMS/"
start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "Uploads"
keys Enter
wait_for "Photo of the classroom"
wait_for "(no file attached)"
keys F9
wait_for "Not finalized: fix these first"
check "finalize lists the missing photo" wait_for "Photo of the classroom"
keys Escape
check "still a draft" wait_q "SELECT state FROM records" draft
check "nothing stored for the upload questions" \
    test "$(q "SELECT count(*) FROM answers WHERE field LIKE '/data/%' AND value IS NOT NULL")" = 0
keys F10
check "exit 0" test "$(wait_exit)" = 0

# --- setvalue on xforms-value-changed, and preloads
rm "$FORMS/good-upload.xml" "$DB"*   # a new file: a start returns to the last question
cp "$top_srcdir/tests/data/forms/good-value-changed.xml" "$FORMS/"
start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "setvalue on a change"
keys Enter
wait_for "Weight"
type_text "70.5"; keys Tab
check "the change set its target" \
    wait_q "SELECT value FROM answers WHERE field = '/data/weighed_at'" "weighed 70.5"
check "and counted once" wait_q "SELECT value FROM answers WHERE field = '/data/changes'" 1
keys F10
check "exit 0" test "$(wait_exit)" = 0

rm "$FORMS/good-value-changed.xml" "$DB"*
cp "$top_srcdir/tests/data/forms/good-preloads.xml" "$FORMS/"
start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "Metadata preloads"
keys Enter
wait_for "Your name"
check "username is the author" wait_q "SELECT value FROM answers WHERE field = '/data/username'" tester
check "context UserName is the author" \
    wait_q "SELECT value FROM answers WHERE field = '/data/context_user'" tester
check "DeviceID (any case) is this laptop's id" \
    test -n "$(q "SELECT value FROM answers WHERE field = '/data/deviceid'")"
check "phone-only properties stay empty" \
    test "$(q "SELECT count(*) FROM answers WHERE field IN ('/data/simserial', '/data/phonenumber', '/data/subscriberid', '/data/email') AND value <> ''")" = 0
keys F10
check "exit 0" test "$(wait_exit)" = 0
finish
