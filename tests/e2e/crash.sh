#!/bin/sh
# A few of make crash-test's kills in every make check: kill -9 while
# typing into the grid (3 times) and while merging (5 times); nothing
# entered is lost, no file is damaged.
here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
# the crash scripts (benchmarks too) pass without sqlite3; this test must not
command -v sqlite3 >/dev/null 2>&1 || { echo "SKIP: sqlite3 not installed"; exit 77; }
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
rc=0
CRASH_RUNS=3 sh "$top_srcdir/bench/crash-typing.sh" || rc=1
CRASH_RUNS=5 sh "$top_srcdir/bench/crash-merge.sh" || rc=1
exit $rc
