#!/bin/sh
# Live focus-group capture as a note-taker meets it (SPEC 5.4): a roster
# typed on the capture screen, 200 notes in Polish and Bulgarian with
# speaker, topic and phase chords, checked in the file; a correction and a
# removal; kill -9 with a note half typed, then restart; a file locked by
# another program never freezes the typing; search from home (SPEC 5.6).
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }

DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"
LIVE_NOTES="SELECT a.item_uuid FROM answers a JOIN items i ON i.item_uuid = a.item_uuid
  WHERE i.deleted = 0 AND i.repeat_path = '/data/note' AND a.field = '/data/note/text'"
note_field() { # note_field TEXT-PREFIX FIELD
    q "SELECT b.value FROM answers a JOIN answers b ON b.item_uuid = a.item_uuid
       WHERE a.field = '/data/note/text' AND a.value LIKE '$1%' AND b.field = '/data/note/$2'"
}

start_app --
wait_for "Records in this file: 0"
keys n Enter                         # the first form: IAS focus group
wait_for "Session"
keys Escape
wait_for "Records in this file: 1"
keys l
wait_for "Nobody is in the roster yet"
for p in 1 2 3 4 5 6 7 8; do
    keys F5; type_text "P$p"; keys Enter
    if [ $p = 3 ]; then keys n; else keys y; fi
done
wait_for "8:P8"
check "roster saved: the form's empty entry got P1, seven more added" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/participant/code'" 8
check "no other roster entry" \
    wait_q "SELECT count(*) FROM items WHERE repeat_path = '/data/participant'" 8
check "consent saved" \
    wait_q "SELECT c.value FROM answers a JOIN answers c ON c.item_uuid = a.item_uuid
               WHERE a.value = 'P3' AND c.field = '/data/participant/consent'" no

# 200 notes: the speaker changes every 3 notes, the topic every 40, the
# phase every 20; even notes in Polish, odd ones in Bulgarian
: >"$T/expected"
speaker=8 topic=0 phase=0
topics="general omp ipc swa isi"
phases="context state_of_play future_plans"
i=1
while [ $i -le 200 ]; do
    if [ $((i % 3)) = 1 ]; then
        speaker=$(( (i / 3) % 8 + 1 )); keys "M-$speaker"
    fi
    if [ $i -gt 1 ] && [ $((i % 40)) = 1 ]; then topic=$(( (topic + 1) % 5 )); keys M-t; fi
    if [ $i -gt 1 ] && [ $((i % 20)) = 1 ]; then phase=$(( (phase + 1) % 3 )); keys M-p; fi
    n=$(printf 'N%03d' $i)
    if [ $((i % 2)) = 0 ]; then
        type_text "$n Rodzice mówią, że dostęp do żłobka jest trudny #żłobek"
    else
        type_text "$n Родителите казват, че достъпът е труден #достъп"
    fi
    keys Enter
    t=$(echo $topics | cut -d' ' -f$((topic + 1)))
    ph=$(echo $phases | cut -d' ' -f$((phase + 1)))
    echo "$n|P$speaker|$t|$ph" >>"$T/expected"
    [ $((i % 50)) = 0 ] && wait_for "$n " 10
    i=$((i + 1))
done
wait_for "N200 Rodzice"
wait_for "saved " 10
check "200 notes in the file" wait_q "SELECT count(*) FROM ($LIVE_NOTES)" 200
q "SELECT substr(a.value, 1, 4) || '|' || s.value || '|' || t.value || '|' || p.value
   FROM answers a
   JOIN answers s ON s.item_uuid = a.item_uuid AND s.field = '/data/note/speaker'
   JOIN answers t ON t.item_uuid = a.item_uuid AND t.field = '/data/note/topic'
   JOIN answers p ON p.item_uuid = a.item_uuid AND p.field = '/data/note/phase'
   WHERE a.field = '/data/note/text' ORDER BY a.value" >"$T/stored"
check "every note under the speaker, topic and phase it was typed under" \
    cmp -s "$T/expected" "$T/stored"
check "Polish text stored byte for byte" \
    wait_q "SELECT value FROM answers WHERE value LIKE 'N002 %'" \
         "N002 Rodzice mówią, że dostęp do żłobka jest trudny #żłobek"
check "Bulgarian tags parsed" test "$(note_field N001 tags)" = "достъп"
check "Polish tags parsed" test "$(note_field N002 tags)" = "żłobek"
check "typing start and commit time stored" \
    wait_q "SELECT count(*) FROM answers WHERE field IN ('/data/note/started_at',
               '/data/note/committed_at') AND value LIKE '20__-__-__T__:__:__.___Z'" 400

# a quote, a correction (the old text kept), a removal
keys M-q; type_text "N201 Мы хотим больше времени"; keys Enter
wait_for "\"N201"
# the writer thread saves a moment after the screen shows the note
check "quote flag" wait_q "SELECT b.value FROM answers a JOIN answers b ON b.item_uuid = a.item_uuid
    WHERE a.field = '/data/note/text' AND a.value LIKE 'N201%' AND b.field = '/data/note/quote'" yes
keys PPage Up Enter
wait_for "Correcting a note of"
keys C-u; type_text "N200 Родителите казват: достъпът е лесен #промяна"; keys Enter
wait_for "Corrected: a new revision"
check "correction stored" wait_q "SELECT b.value FROM answers a JOIN answers b ON b.item_uuid = a.item_uuid
    WHERE a.field = '/data/note/text' AND a.value LIKE 'N200 Родителите казват:%' AND b.field = '/data/note/tags'" "промяна"
check "old revision kept" \
    wait_q "SELECT count(*) FROM answers_versions WHERE value LIKE 'N200 Rodzice mówią%'" 1
keys Up d
wait_for "Remove the selected note?"
keys y
wait_for "The note was removed"
# (its answers too, the text kept in their history: an edit of the note
# on another laptop is then a conflict, not lost)
check "removed note is a tombstone" \
    wait_q "SELECT i.deleted || a.deleted FROM items i JOIN answers_versions v ON
               v.item_uuid = i.item_uuid JOIN answers a ON a.item_uuid = v.item_uuid
               AND a.field = v.field WHERE v.value LIKE 'N199 %' AND v.reason = 'delete'" 11
check "200 live notes" wait_q "SELECT count(*) FROM ($LIVE_NOTES)" 200
keys Escape
sleep 0.3 # Esc then a letter at once would be Alt-letter

# kill -9 with a note half typed
type_text "N202 saved before the kill"; keys Enter
wait_for "N202 saved"
check "N202 saved" wait_q "SELECT count(*) FROM ($LIVE_NOTES)" 201
type_text "N203 half typed when the power went"
wait_for "N203 half typed"
pid=$(tm display-message -p -t 0 '#{pane_pid}')
app=$(pgrep -P "$pid" -f imas-survey)
[ -n "$app" ] || fail "no imas-survey under the pane's shell"
kill -9 $app
sleep 0.3
check "file intact after kill -9" wait_q "PRAGMA integrity_check" ok
check "every saved note present" wait_q "SELECT count(*) FROM ($LIVE_NOTES)" 201
check "half-typed note absent" wait_q "SELECT count(*) FROM answers WHERE value LIKE 'N203%'" 0
tm kill-server

start_app --
# home may return to the record's questionnaire, where the user last was
i=0; until screen | grep -qE 'Records in this file|answered'; do
    sleep 0.05; i=$((i + 1)); [ $i -gt 100 ] && break; done
screen | grep -q answered && keys Escape
wait_for "Records in this file: 1"
keys l
wait_for "N202 saved before the kill"
wait_for "8:P8"

# another program holds the file's write lock: typing goes on, the note
# waits, is marked not saved after the busy timeout, and F7 saves it
# (the locker waits for the lock: the program may be writing its position
# at that very moment; it holds the lock until the hold file is removed)
hold=$(mktemp "${TMPDIR:-/tmp}/imas-hold.XXXXXX")
( echo ".timeout 20000"; echo "BEGIN IMMEDIATE;"
  while [ -e "$hold" ]; do sleep 0.1; done; echo "ROLLBACK;" ) | sqlite3 "$DB" &
locker=$!
i=0; while sqlite3 "$DB" "BEGIN IMMEDIATE; ROLLBACK;" 2>/dev/null; do
    sleep 0.05; i=$((i + 1))
    [ $i -gt 400 ] && { rm -f "$hold"; fail "the locker never took the lock"; }
done
type_text "N204 typed while the file was locked"; keys Enter
type_text "N205 still typing"
wait_for "N205 still typing" 1
wait_for "saving 1" 1
wait_for "1 NOT SAVED (F7)" 10
rm -f "$hold"
wait $locker
keys F7
# (not wait_for "saved ": the note "N202 saved before the kill" is on screen)
check "saved after the retry" wait_q "SELECT count(*) FROM answers WHERE value LIKE 'N204%'" 1 5
keys C-u Escape
wait_for "Records in this file: 1"

# search from home: diacritics and case ignored, prefixes, Cyrillic
keys /
wait_for "Search:"
type_text "MOWIA dostep"
# a keystroke reads two screenfuls; moving down reads the rest
wait_for "The first 20 results; more below"
i=0; while [ $i -lt 14 ]; do keys NPage; i=$((i + 1)); done
wait_for "99 results"
keys C-u; type_text "лесен"
wait_for "1 result"
wait_for "· P3 ·"
keys Enter
wait_for "Enter corrects the selected note"
keys Escape Escape
wait_for "Search:"
keys Escape
wait_for "Records in this file: 1"

# from the record's questionnaire: the notes page opens the capture screen
keys Enter
wait_for "answered"
i=0; while [ $i -lt 60 ]; do keys NPage; i=$((i + 1)); done
wait_for "notes so far"
# F1 and the hint bar say what F5 does on this page
check "the hint bar names F5 Capture" wait_for "F5 Capture"
keys F1
check "F1: F5 opens the capture screen" wait_for "open the live notes screen"
check "F1: F5 adds no entry here" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Add an entry to this list'"
keys Escape
wait_for "notes so far"
keys F5
wait_for "N202 saved before the kill"
keys M-3; type_text "N206 from the questionnaire"; keys Enter
check "saved from the questionnaire's capture" \
    wait_q "SELECT count(*) FROM answers WHERE value = 'N206 from the questionnaire'" 1
keys Escape
wait_for "203 notes so far"

# F10 with a note half typed saves it rather than lose it
keys F5
wait_for "N206 from the questionnaire"
type_text "N207 typed when F10 was pressed"
keys F10
check "exit status 0" test "$(wait_exit)" = 0
check "the note being typed was saved on F10" \
    wait_q "SELECT count(*) FROM answers WHERE value = 'N207 typed when F10 was pressed'" 1
check "file intact" wait_q "PRAGMA integrity_check" ok

# in Polish the consent prompt shows and takes t (tak) and n (nie); another
# letter is refused with a message and nothing is stored for it
tm kill-server
DB="$T/pl.sqlite"
CONSENT="SELECT coalesce(c.value, '-') FROM answers a JOIN answers c ON c.item_uuid = a.item_uuid
          AND c.field = '/data/participant/consent' WHERE a.field = '/data/participant/code' AND a.value ="
start_app -- --lang pl "$DB"
wait_for "Rekordy w tym pliku: 0"
keys n Enter
check "a focus-group record" wait_q "SELECT count(*) FROM records" 1
keys Escape
wait_for "Rekordy w tym pliku: 1"
keys l
wait_for "Lista uczestników jest jeszcze pusta"
keys F5; type_text "P1"; keys Enter
wait_for "Czy P1 wyraził(a) świadomą zgodę? t tak, n nie"
keys x
wait_for "Odpowiedz t (tak) lub n (nie)."
check "the prompt stays open" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Czy P1 wyraził'"
keys t
check "t is yes" wait_q "$CONSENT 'P1'" yes
keys F5; type_text "P2"; keys Enter
wait_for "Czy P2 wyraził"
keys N
check "N is no" wait_q "$CONSENT 'P2'" no
check "x stored nothing: two answers, no empty one" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/participant/consent' AND coalesce(value, '') = ''" 0
keys F10
check "F10 exits (Polish)" test "$(wait_exit)" = 0
finish
