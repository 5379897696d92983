#!/bin/sh
# The consent question after a participant's code on the capture screen:
# the key bar names what each key does with the letters the question shows
# (English y/n, Polish t/n), Enter stores nothing ("later"), and Esc answers
# no, as on every yes/no question: the participant and the code are kept.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"

CONSENT="SELECT coalesce(c.value, '-') FROM answers a LEFT JOIN answers c ON c.item_uuid = a.item_uuid
          AND c.field = '/data/participant/consent' WHERE a.field = '/data/participant/code' AND a.value ="
bar() { screen | tail -n 1; }

for lang in en pl; do
    DB="$T/$lang.sqlite"
    if [ $lang = en ]; then
        home="Records in this file"
        start_app -- "$DB"
    else
        home="Rekordy w tym pliku"
        start_app -- --lang pl "$DB"
    fi
    wait_for "$home: 0"
    keys n Enter
    wait_q "SELECT count(*) FROM records" 1
    keys Escape
    wait_for "$home: 1"
    keys l
    keys F5; type_text "P18"; keys Enter
    if [ $lang = en ]; then
        wait_for "Has P18 given informed consent? y yes, n no, Enter not asked yet"
        check "en: the bar says y is yes" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -n 1 | grep -q 'y Yes  n No  Enter Later'"
    else
        wait_for "Czy P18 wyraził(a) świadomą zgodę? t tak, n nie"
        check "pl: the bar shows the question's letters" sh -c "tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -n 1 | grep -q 't Tak  n Nie  Enter Później'"
    fi
    check "$lang: y is not shown as the letter where t is" sh -c "[ $lang = en ] || ! tmux -u -S '$SOCK' capture-pane -p -t 0 | tail -n 1 | grep -q 'y Tak'"
    keys Escape
    check "$lang: Esc answers no, the participant is kept" wait_q "$CONSENT 'P18'" no
    check "$lang: one participant" test "$(q "SELECT count(*) FROM answers WHERE field = '/data/participant/code' AND value = 'P18'")" = 1
    # a code that cannot join is refused before consent is asked: the
    # prompt stays open with the code to correct
    keys F5; type_text "Н02"; keys Enter
    if [ $lang = en ]; then
        check "$lang: a bad code is refused at once" wait_for "A participant code is 1 to 12 letters"
    else
        sleep 0.5
    fi
    check "$lang: no consent asked for a bad code" sh -c "! tmux -u -S '$SOCK' capture-pane -p -t 0 | grep -q 'Н02.*\(consent\|zgod\)'"
    keys C-u; type_text "P19"; keys Enter
    wait_for "P19"
    keys Enter
    check "$lang: Enter adds the participant, consent not stored" wait_q "SELECT count(*) FROM answers WHERE field = '/data/participant/code' AND value = 'P19'" 1
    check "$lang: no consent value for P19" \
        test "$(q "$CONSENT 'P19'" | tr -d '\n')" != yes -a "$(q "$CONSENT 'P19'" | tr -d '\n')" != no
    keys F10
    check "$lang: exit 0" test "$(wait_exit)" = 0
done
finish
