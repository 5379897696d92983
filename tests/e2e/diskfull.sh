#!/bin/sh
# The disk fills up while a researcher types: one clear message, the typed
# text stays in the field, nothing saved before is lost, the file stays
# valid, and once there is room again the answer saves. A read-only disk at
# start: one clear line, the file untouched.
# Not root: run again in a user and mount namespace of our own, where a
# small tmpfs can be mounted (unshare -rm; SKIP below where it cannot).
if [ "$(id -u)" != 0 ] && [ -z "${IMAS_E2E_USERNS:-}" ] && unshare -rm true 2>/dev/null; then
    IMAS_E2E_USERNS=1 exec unshare -rm sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }
mkdir "$T/small"
mount -t tmpfs -o size=2m tmpfs "$T/small" 2>/dev/null || { echo "SKIP: cannot mount a small tmpfs (neither root nor a user namespace)"; exit 77; }
trap 'tm kill-server 2>/dev/null; umount "$T/small" 2>/dev/null; cleanup' EXIT
F="$T/small/survey.sqlite"
DB=$F

start_app IMAS_SURVEY_FILE="$F" --
wait_for "Records in this file: 0"
keys n Down; wait_for "IMAS dimension grid  (imas"
keys Enter; wait_for "Visit"
keys Down Space Tab
type_text "София"; keys Tab
wait_for "София"
sleep 0.3
saved=$(q "SELECT count(*) FROM answers WHERE deleted = 0")

# fill the disk
dd if=/dev/zero of="$T/small/filler" bs=4k 2>/dev/null
type_text "Училище с дълго име, за да не остане място на диска"
keys Tab
wait_for "the change was not saved: the disk is full (survey.sqlite)"
check "the typed text stays in the field" sh -c "tmux -S '$SOCK' capture-pane -p -t 0 | grep -q 'Училище с дълго име'"
check "the file is still valid" test "$(q 'PRAGMA quick_check')" = ok
check "nothing saved before is lost" test "$(q "SELECT count(*) FROM answers WHERE deleted = 0")" -ge "$saved"
check "the region is still there" wait_q "SELECT value FROM answers WHERE field = '/data/visit/region'" "София"

# room again: leaving the field saves it
rm -f "$T/small/filler"
keys BTab Tab
sleep 0.5
check "saved once there is room" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Училище с дълго име, за да не остане място на диска"

keys F10
check "F10 exits with status 0" test "$(wait_exit 10)" = 0

# a read-only disk: one clear line, exit 1, the file untouched
mount -t tmpfs -o remount,ro,size=2m tmpfs "$T/small" || fail "remount read-only"
sum=$(sha256sum <"$F")
"$BIN" "$F" </dev/null >"$T/out" 2>"$T/err"
check "read-only disk: exit 1" test $? = 1
check "read-only disk: one line naming the file" sh -c "test \$(wc -l <'$T/err') = 1 && grep -q '$F' '$T/err'"
check "read-only disk: the file untouched" test "$sum" = "$(sha256sum <"$F")"
mount -t tmpfs -o remount,rw,size=2m tmpfs "$T/small"
check "the school is still there" \
    wait_q "SELECT value FROM answers WHERE field = '/data/visit/school'" "Училище с дълго име, за да не остане място на диска"
finish
