#!/bin/sh
# A merge into a target on a full disk: one clear line, the target byte for
# byte as it was and still valid. Needs root for a small tmpfs; SKIP else.
# Not root: run again in a user and mount namespace of our own, where a
# small tmpfs can be mounted (unshare -rm; SKIP below where it cannot).
if [ "$(id -u)" != 0 ] && [ -z "${IMAS_E2E_USERNS:-}" ] && unshare -rm true 2>/dev/null; then
    IMAS_E2E_USERNS=1 exec unshare -rm sh "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 not installed"
GEN="$top_builddir/bench/make-survey-file"
[ -x "$GEN" ] || skip "$GEN not built"
mkdir "$T/small"
mount -t tmpfs -o size=1m tmpfs "$T/small" 2>/dev/null ||
    skip "cannot mount a small tmpfs (neither root nor a user namespace): the disk-full merge was not tried"
trap 'umount "$T/small" 2>/dev/null; cleanup' EXIT

"$GEN" --out "$T/small/t.sqlite" --records 6 --answers-per-record 8 --device at --seed 1 >/dev/null &&
"$GEN" --out "$T/big.sqlite" --records 600 --answers-per-record 12 --device big --seed 5 >/dev/null ||
    { fail "make-survey-file"; finish; }
sum=$(sha256sum <"$T/small/t.sqlite")
timeout 60 "$BIN" --merge --into "$T/small/t.sqlite" "$T/big.sqlite" >"$T/out" 2>"$T/err" </dev/null
check "a full disk: exit 1" test $? = 1
check "a full disk is one clear message" grep -qF "the disk is full" "$T/err"
check "a full disk leaves the target byte for byte" test "$sum" = "$(sha256sum <"$T/small/t.sqlite")"
check "a full disk leaves the target valid" test "$(sqlite3 "$T/small/t.sqlite" 'PRAGMA quick_check')" = ok
check "nothing left beside the target" test "$(ls -A "$T/small")" = t.sqlite
finish
