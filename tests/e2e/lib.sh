# tests/e2e/lib.sh: drive the real imas-survey binary in tmux, the way a
# person would (tig's test/tools/libtest.sh is the model). Sourced by each
# test; every test gets its own tmux server, temp dir and survey file.
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
BIN="$top_builddir/src/imas-survey"
export LC_ALL=C.UTF-8
export TERM=xterm-256color
unset NO_COLOR TMUX

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/imas-e2e.XXXXXX")
SOCK="$T/tmux.sock"
export HOME="$T/home" XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state"
mkdir -p "$HOME"
unset IMAS_SURVEY_FILE
export IMAS_SURVEY_AUTHOR=tester

failures=0
cleanup() {
    for s in "$T"/tmux*.sock; do [ -S "$s" ] && tmux -S "$s" kill-server 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

tm() { tmux -u -S "$SOCK" "$@"; }

# start_app [ENV=VAL...] -- ARGS...: start the program in an 80x24 pane.
start_app() {
    local envs=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs $1"; shift; done
    [ "${1:-}" = "--" ] && shift
    local cmd="env$envs $BIN"
    for a in "$@"; do cmd="$cmd '$a'"; done
    rm -f "$T/status"
    # a fresh server for each start: the last one may still be shutting down
    # after its program ended, and a client reaching it then fails
    starts=$((${starts:-0} + 1))
    tm kill-server 2>/dev/null
    SOCK="$T/tmux$starts.sock"
    # the shell records the exit status: tmux 3.3 does not always know it
    # remain-on-exit from the start, so a quick exit still leaves the pane
    echo "set -g remain-on-exit on" >"$T/tmux.conf"
    tm -f "$T/tmux.conf" new-session -d -x "${COLS:-80}" -y "${ROWS:-24}" \
        "$cmd; echo \$? >'$T/status.tmp'; mv '$T/status.tmp' '$T/status'"
}

screen() { tm capture-pane -p -t 0 2>/dev/null; }

# wait_for TEXT [SECONDS]: until TEXT is on screen, else fail.
wait_for() {
    local text=$1 secs=${2:-5} i=0
    while [ $i -lt $((secs * 20)) ]; do
        screen | grep -qF -- "$text" && return 0
        sleep 0.05
        i=$((i + 1))
    done
    fail "did not see '$text' on screen"
    screen | sed 's/^/    | /' >&2
    return 1
}

keys() { tm send-keys -t 0 "$@"; }
# type_text TEXT: literal text, UTF-8 included.
type_text() { tm send-keys -t 0 -l -- "$1"; }

# wait_exit [SECONDS]: until the program has ended; prints its exit status.
wait_exit() {
    local secs=${1:-5} i=0
    while [ $i -lt $((secs * 20)) ]; do
        if [ -f "$T/status" ]; then
            cat "$T/status"
            return 0
        fi
        sleep 0.05
        i=$((i + 1))
    done
    echo "running"
    return 1
}

# q SQL: one query on the survey file $DB (each test sets DB).
q() { sqlite3 "$DB" "$1"; }

# wait_q SQL WANT [SECONDS]: until the query on $DB gives WANT, else false.
# Every check of what the program saved polls the file this way: the screen
# may show the expected text before the save (or already showed it), and a
# slow build on a busy machine saves later than a fast one.
wait_q() {
    local i=0 got=""
    while [ $i -lt $((${3:-${E2E_WAIT:-15}} * 20)) ]; do
        got=$(q "$1" 2>/dev/null) && [ "$got" = "$2" ] && return 0
        sleep 0.05
        i=$((i + 1))
    done
    echo "    file: '$1' gives '$got', expected '$2'" >&2
    return 1
}

# skip REASON: the whole test cannot run here; automake reports SKIP.
skip() { echo "SKIP: $*"; exit 77; }

cursor_pos() { tm display-message -p -t 0 '#{cursor_y} #{cursor_x}'; }

resize() { tm resize-window -t 0 -x "$1" -y "$2"; }

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    exit 0
}
