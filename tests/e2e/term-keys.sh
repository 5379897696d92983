#!/bin/sh
# Keys as common terminals send them are keys, never text: Home and End
# from tmux or screen (\e[1~ \e[4~), rxvt (\e[7~ \e[8~) and xterm's
# application mode (\eOH \eOF), in a questionnaire field and in a note on
# the capture screen. Each is sent as raw bytes, whatever TERM says.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
DB="$XDG_DATA_HOME/imas-survey/survey.sqlite"

raw() { tm send-keys -t 0 -H "$@"; }
HOME1="1b 5b 31 7e" END4="1b 5b 34 7e" HOME7="1b 5b 37 7e" END8="1b 5b 38 7e"
HOMEO="1b 4f 48" ENDO="1b 4f 46"

start_app --
wait_for "Records in this file: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter; wait_for "Visit"
keys Down Space Tab                     # Bulgaria, then the region field
# each pair: Home, a letter, End, a letter
type_text "мм"
raw $HOME1; type_text "A"; raw $END4; type_text "B"
raw $HOME7; type_text "C"; raw $END8; type_text "D"
raw $HOMEO; type_text "E"; raw $ENDO; type_text "F"
keys Tab
check "Home and End from tmux, rxvt and xterm move in a field" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/region'" "ECAммBDF"
check "no escape sequence text stored" \
    wait_q "SELECT count(*) FROM answers WHERE value GLOB '*[[~]*' OR value GLOB '*O[HF]*'" 0
keys Escape
wait_for "Records in this file: 1"
keys F10
check "F10 exits" test "$(wait_exit)" = 0

# a note: the capture screen reads Esc as the start of an Alt chord
tm kill-server
DB="$T/notes.sqlite"
start_app IMAS_SURVEY_FILE="$DB" --
wait_for "Records in this file: 0"
keys n; wait_for "Choose a form"
keys Enter; wait_for "Session"
keys Escape; wait_for "Records in this file: 1"
keys l; wait_for "Nobody is in the roster yet"
keys F5; type_text "P1"; keys Enter y
wait_for "1:P1"
type_text "tekst"
raw $HOME1; type_text "1"; raw $END4; type_text "2"
raw $HOME7; type_text "3"; raw $END8; type_text "4"
raw $HOMEO; type_text "5"; raw $ENDO; type_text "6"
keys Enter
check "Home and End move in a note" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/note/text' AND value = '531tekst246'" 1
check "no other note" \
    wait_q "SELECT count(*) FROM answers WHERE field = '/data/note/text'" 1
keys F10
check "F10 exits from capture" test "$(wait_exit)" = 0
finish
