#!/bin/sh
# Shift-Tab on an upload question, as on any question: with a path typed
# it attaches the file (as Tab, Enter and leaving do), then goes to the
# previous question; in an empty field it just goes there. On a plain
# form and inside a repeat's entry.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
FORMS="$T/forms"
PICS="$T/pics"
mkdir -p "$FORMS" "$PICS"
mkdir -p "$T/forms2"
cp "$top_srcdir/tests/data/forms/good-upload.xml" "$FORMS/"
cp "$top_srcdir/tests/data/forms/good-upload-repeat.xml" "$T/forms2/"
printf '\377\330\377\340\000\020JFIF\000\001school visit, class 3B' >"$PICS/visit.jpg"
printf 'RIFF\044\000\000\000WAVEfmt \020\000\000\000' >"$PICS/talk.wav"

start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "Uploads"
keys Enter
wait_for ">* Photo of the classroom"
keys Tab
wait_for ">  Voice note"
keys Tab
wait_for ">  Video"
# empty field: Shift-Tab only moves
keys BTab
check "Shift-Tab in an empty field goes back" wait_for ">  Voice note"
check "nothing attached by it" test "$(q "SELECT count(*) FROM attachments")" = 0
# a path typed: Shift-Tab attaches it, then goes back
type_text "$PICS/talk.wav"
keys BTab
check "Shift-Tab attaches the typed path" \
    wait_q "SELECT substr(value, 66) FROM answers WHERE field = '/data/voice'" "talk.wav"
check "its content is stored" wait_q "SELECT count(*) FROM attachments" 1
check "and goes to the previous question" wait_for ">* Photo of the classroom"
keys Tab
wait_for ">  Voice note"
check "the attached file is shown" wait_for "talk.wav · "
# a refused file keeps the cursor there with the reason
keys Tab
wait_for ">  Video"
type_text "$PICS/visit.jpg"
keys BTab
check "a refused file says why" wait_for "visit.jpg is not attached"
check "and stays on the question" wait_for ">  Video"
keys C-u
keys F10
check "exit 0" test "$(wait_exit)" = 0

# inside a repeat's entry
start_app -- --form-dir "$T/forms2" "$T/repeat.sqlite"
DB="$T/repeat.sqlite"
wait_for "Records in this file: 0"
keys n
wait_for "Classroom photos"
keys Enter
wait_for "Room"
keys F5
wait_for ">  Room name"
type_text "3B"
keys Tab
wait_for ">  Picture of the room"
type_text "$PICS/visit.jpg"
keys BTab
check "in a repeat: Shift-Tab attaches" \
    wait_q "SELECT substr(value, 66) FROM answers WHERE field = '/data/room/picture'" "visit.jpg"
check "in a repeat: and goes back" wait_for ">  Room name"
keys Tab
wait_for ">  Picture of the room"
wait_for "visit.jpg · "
keys BTab
check "in a repeat, empty field: Shift-Tab goes back" wait_for ">  Room name"
check "the file stays attached" \
    test "$(q "SELECT substr(value, 66) FROM answers WHERE field = '/data/room/picture'")" = "visit.jpg"
keys F10
check "exit 0" test "$(wait_exit)" = 0
finish
