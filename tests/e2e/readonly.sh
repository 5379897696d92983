#!/bin/sh
# A survey file the user may read but not write: the UI refuses it with one
# line naming it, exit 1, the file untouched; --check still works on it.
# As root the checks run as an unprivileged user (nobody), from a copy of
# the program in a directory that user can reach; SKIP where none exists.
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null 2>&1 || skip "script (util-linux) not installed"

as_user=""
if [ "$(id -u)" = 0 ]; then
    uid=$(id -u nobody 2>/dev/null) || skip "no user 'nobody' to run as"
    gid=$(id -g nobody)
    command -v setpriv >/dev/null 2>&1 || skip "setpriv (util-linux) not installed"
    # setpriv itself may exec a file its user could not reach, so every
    # command goes through a shell started as that user
    as_user="setpriv --reuid=$uid --regid=$gid --clear-groups"
    # a directory the user can reach: the test's own, else /tmp or /var/tmp
    R=""
    chmod 711 "$T"
    for base in "$T" /tmp /var/tmp /dev/shm; do
        d=$(mktemp -d "$base/imas-ro.XXXXXX" 2>/dev/null) || continue
        chmod 755 "$d"
        if $as_user sh -c 'test -x "$1" && test -r "$1"' sh "$d"; then R=$d; break; fi
        rm -rf "$d"
    done
    [ -n "$R" ] || skip "no directory reachable by user nobody (under $T, /tmp, /var/tmp, /dev/shm)"
    [ "$R" = "${R#"$T"}" ] && trap 'rm -rf "$R"; cleanup' EXIT
    mkdir "$R/bin"
    cp "$BIN" "$R/bin/imas-survey"
    cp -r "$top_srcdir/forms" "$R/forms"
    chmod -R a+rX "$R/bin" "$R/forms"
    APP="$R/bin/imas-survey" FORMS="$R/forms"
    $as_user sh -c '"$1" --version' sh "$APP" >/dev/null 2>&1 ||
        skip "the program copied to $R does not run as user nobody"
    chown "$uid:$gid" "$R"
else
    R=$(mktemp -d "$T/ro.XXXXXX")
    APP=$BIN FORMS="$top_srcdir/forms"
fi
U() { $as_user sh -c '"$@"' sh "$@"; }

# start the UI once in a pseudo-terminal to create the file, and press q
(sleep 1; printf q) | U timeout 20 env HOME="$R" XDG_DATA_HOME="$R/data" \
    IMAS_SURVEY_FILE="$R/s.sqlite" script -qec "'$APP' --form-dir '$FORMS'" /dev/null >/dev/null 2>&1
[ -f "$R/s.sqlite" ] || { fail "could not create a survey file as $(U id -un)"; finish; }

chmod 444 "$R/s.sqlite"
before=$(sha256sum "$R/s.sqlite")
U env HOME="$R" "$APP" "$R/s.sqlite" >"$T/out" 2>"$T/err" </dev/null
check "read-only file refused with exit 1" test $? = 1
check "the message names the file" grep -qF "$R/s.sqlite" "$T/err"
check "one line" test "$(wc -l <"$T/err")" = 1
check "read-only file untouched" test "$before" = "$(sha256sum "$R/s.sqlite")"
U env HOME="$R" "$APP" --check "$R/s.sqlite" >"$T/out" 2>"$T/err"
check "--check works on a read-only file" test $? = 0
check "--check says integrity ok" grep -qF "integrity:       ok" "$T/out"
finish
