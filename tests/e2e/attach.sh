#!/bin/sh
# A photo question (<upload>) as a user drives it: a path typed with Tab
# completion (the names listed when several fit), Enter attaches the file,
# which is stored in the survey file under its SHA-256 and shown by name,
# size and type; a file of the wrong kind is refused and changes nothing;
# Del removes it after asking. --export writes it byte for byte to
# <form>-<version>/media/ with the CSV cell naming it; --check counts it.
# A partner file whose attachment was changed, or whose answer names a file
# "../../evil", is refused by --merge, saying why, and changes nothing.
# Two laptops attaching different photos to one question make a merge
# conflict, shown by the files' names and resolved like any answer.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
FORMS="$T/forms"
PICS="$T/pics"
mkdir -p "$FORMS" "$PICS/old photos"
cp "$top_srcdir/tests/data/forms/good-upload.xml" "$FORMS/"
printf '\377\330\377\340\000\020JFIF\000\001school visit, class 3B' >"$PICS/school-visit.jpg"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR map' >"$PICS/school-map.png"
echo "just some notes" >"$PICS/notes.txt"
printf 'RIFF\044\000\000\000WAVEfmt \020\000\000\000' >"$PICS/talk.wav"
SHA=$(sha256sum "$PICS/school-visit.jpg" | cut -d' ' -f1)
SIZE=$(wc -c <"$PICS/school-visit.jpg")
SHORT=$(printf '%.12s' "$SHA")

start_app -- --form-dir "$FORMS"
wait_for "Records in this file: 0"
keys n
wait_for "Uploads"
keys Enter
wait_for "Photo of the classroom"
wait_for "(no file attached)"
# part of a path, Tab: two names fit, both listed
type_text "$PICS/sch"
keys Tab
wait_for "2 names fit"
check "the candidates are listed" wait_for "school-map.png"
check "both of them" wait_for "school-visit.jpg"
check "completed to their common start" wait_for "pics/school-"
type_text "v"
keys Tab
check "one name fits: completed" wait_for "pics/school-visit.jpg"
keys Enter
check "the file is stored under its SHA-256" \
    wait_q "SELECT size || ' ' || length(data) FROM attachments WHERE sha256 = '$SHA'" "$SIZE $SIZE"
check "the answer names it" \
    wait_q "SELECT value FROM answers WHERE field = '/data/photo'" "$SHA school-visit.jpg"
check "shown by name, size and type" wait_for "school-visit.jpg · $SIZE bytes · image/jpeg"
wait_for "Attached school-visit.jpg."

# a text file on a photo question: refused, nothing changes
type_text "$PICS/notes.txt"
keys Enter
check "a wrong kind of file is refused" wait_for "notes.txt is not attached: its content is not image/*"
check "the answer is unchanged" \
    test "$(q "SELECT value FROM answers WHERE field = '/data/photo'")" = "$SHA school-visit.jpg"
check "nothing more stored" test "$(q "SELECT count(*) FROM attachments")" = 1
# a directory: said so
keys C-u
type_text "$PICS/old photos"
keys Enter
check "a directory is refused" wait_for "old photos is a directory"

# Del in the empty field removes the file, after asking
keys C-u
keys DC
wait_for "Remove the attached file from this question? (y/n)"
keys y
check "removed: the answer is cleared" \
    wait_q "SELECT quote(value) FROM answers WHERE field = '/data/photo'" NULL
check "its content stays for the history" test "$(q "SELECT count(*) FROM attachments")" = 1
# attach it again (with ~ for the home directory)
mkdir -p "$HOME/Pictures"
cp "$PICS/school-visit.jpg" "$HOME/Pictures/"
type_text "~/Pic"
keys Tab
wait_for "~/Pictures/"
type_text "s"
keys Tab
wait_for "~/Pictures/school-visit.jpg"
keys Enter
check "attached again" \
    wait_q "SELECT value FROM answers WHERE field = '/data/photo'" "$SHA school-visit.jpg"
check "the same content is stored once" test "$(q "SELECT count(*) FROM attachments")" = 1
# Tab in the empty field: the next question; a path typed there is
# attached on leaving, as a typed answer is saved
keys Tab
wait_for "> "
check "Tab in an empty field goes on" wait_for ">  Voice note"
type_text "$PICS/talk.wav"
keys PgDn
check "leaving attaches the typed path" \
    wait_q "SELECT substr(value, 66) FROM answers WHERE field = '/data/voice'" "talk.wav"
check "two files stored" wait_q "SELECT count(*) FROM attachments" 2
keys F1
check "F1 says how to attach" wait_for "Complete the file's path"
keys Escape
keys F10
check "exit 0" test "$(wait_exit)" = 0

# --export: the file byte for byte, the cell names it
OUT="$T/out"
"$BIN" --export "$OUT" "$DB" >/dev/null 2>"$T/export.err"
check "export exit 0" test $? = 0
MEDIA="$OUT/upload-1/media/$SHORT-school-visit.jpg"
check "the media file is written" test -f "$MEDIA"
check "byte for byte" cmp -s "$MEDIA" "$PICS/school-visit.jpg"
check "the wide CSV's photo cell names it" \
    grep -q ",$SHORT-school-visit.jpg,[0-9a-f]\{12\}-talk.wav,,," "$OUT/upload-1/wide.csv"
check "the codebook says file" grep -q "^photo,,file," "$OUT/upload-1/codebook.csv"
"$BIN" --check "$DB" >"$T/check.out" 2>&1
check "--check is clean" test $? = 0
check "--check counts the attachments" grep -q "^attachments: *2$" "$T/check.out"

# hostile partner files: refused, saying why, the target unchanged
before=$(sha256sum "$DB" | cut -d' ' -f1)
cp "$DB" "$T/tampered.sqlite"
sqlite3 "$T/tampered.sqlite" "UPDATE attachments SET data = X'00' || substr(data, 2)"
"$BIN" --merge --into "$DB" "$T/tampered.sqlite" >"$T/m1.out" 2>"$T/m1.err"
check "a changed attachment: exit 1" test $? = 1
check "it says why" grep -q "does not match its SHA-256" "$T/m1.err"
cp "$DB" "$T/evil.sqlite"
sqlite3 "$T/evil.sqlite" "UPDATE answer_rows SET value = '$SHA ../../evil', revision = revision + 1 WHERE field = '/data/photo'"
"$BIN" --merge --into "$DB" "$T/evil.sqlite" >"$T/m2.out" 2>"$T/m2.err"
check "a name ../../evil: exit 1" test $? = 1
check "it says why" grep -q '"../../evil", which is not a plain file name' "$T/m2.err"
check "the target is unchanged" test "$(sha256sum "$DB" | cut -d' ' -f1)" = "$before"
check "no file was written outside" test ! -e "$T/evil" -a ! -e "$XDG_DATA_HOME/evil"
# --check finds a damaged attachment
"$BIN" --check "$T/tampered.sqlite" >"$T/check2.out" 2>&1
check "--check on a damaged attachment: exit 1" test $? = 1
check "it names it" grep -q "damaged attachment $SHA: its content does not match" "$T/check2.out"

# two laptops attach different photos to one question: a merge conflict,
# shown by file name, resolved like any answer
A="$T/a.sqlite"
DB="$A"
printf 'GIF89a\001\000\001\000hall' >"$PICS/hall.gif"
start_app -- --form-dir "$FORMS" "$A"
wait_for "Records in this file: 0"
keys n; wait_for "Uploads"; keys Enter; wait_for "Photo of the classroom"
type_text "$PICS/school-visit.jpg"; keys Enter
wait_q "SELECT count(*) FROM answers WHERE field = '/data/photo' AND value IS NOT NULL" 1
keys F10; wait_exit >/dev/null
cp "$A" "$T/b.sqlite"
for f in b a; do
    if [ $f = b ]; then pic=school-map.png; else pic=hall.gif; fi
    start_app -- --form-dir "$FORMS" "$T/$f.sqlite"
    wait_for "Records in this file: 1"
    keys Enter
    wait_for "Photo of the classroom"
    type_text "$PICS/$pic"; keys Enter
    wait_for "Attached $pic"
    keys F10; wait_exit >/dev/null
done
"$BIN" --merge --into "$A" "$T/b.sqlite" >/dev/null
start_app -- --form-dir "$FORMS" "$A"
wait_for "Records in this file: 1"
keys c
check "the conflict shows this file's photo by name" wait_for "file hall.gif ("
check "and the other laptop's" wait_for "file school-map.png ("
keys 2
MAP=$(sha256sum "$PICS/school-map.png" | cut -d' ' -f1)
check "keeping the other laptop's photo" \
    wait_q "SELECT value FROM answers WHERE field = '/data/photo'" "$MAP school-map.png"
keys F10
finish
