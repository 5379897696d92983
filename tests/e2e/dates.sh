#!/bin/sh
# Dates as ODK's JavaRosa reads them: a form's default 1900-1-1 is the date
# 1 January 1900, shown and saved as 1900-01-01 (not marked invalid); a date
# typed 2024-2-9 is saved as 2024-02-09; a day that does not exist
# (2023-2-30) is still refused and saves nothing.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
DB="$T/dates.sqlite"
FORMS="$T/forms"
mkdir -p "$FORMS"
cp "$top_srcdir/tests/data/forms/good-date-unpadded.xml" "$FORMS/"
ans() { echo "SELECT coalesce(value, '-') FROM answers WHERE field = '$1'"; }

start_app -- --form-dir "$FORMS" "$DB"
wait_for "Records in this file: 0"
keys n
wait_for "Unpadded dates"
keys Enter
check "the default is saved padded" wait_q "$(ans /data/birth)" 1900-01-01
check "the dateTime default too" wait_q "$(ans /data/seen)" 2023-03-05T09:05
wait_for "Birth date"
check "the default is shown padded" wait_for "1900-01-01"
birth_answered() { screen | grep "Birth date" | grep -q "answered$"; }
check "and is marked answered" birth_answered
screen | grep -q "invalid" && fail "a question is marked invalid"

# type a date without padding
keys C-u
type_text "2024-2-9"
keys Enter
check "a typed 2024-2-9 is saved as 2024-02-09" wait_q "$(ans /data/birth)" 2024-02-09
wait_for "Seen at"

# a day that does not exist stays refused
keys PPage
wait_for "2024-02-09"
keys C-u
type_text "2023-2-30"
keys Enter
check "2023-2-30 is refused" wait_for "Enter a date as YYYY-MM-DD."
check "and not saved" wait_q "$(ans /data/birth)" 2024-02-09

keys Escape
keys F10
tm kill-server 2>/dev/null
check "file intact" wait_q "PRAGMA quick_check" ok
finish
