#!/bin/sh
# bench/figures.sh FILE: the SPEC 10 table from the figures the benchmarks
# of `make bench` wrote (bench/figures.h; the crash scripts write theirs
# with figure() below), every figure measured on this machine next to its
# target. Sourced by the crash scripts for figure(); run by make bench.
figure() { # figure WHAT MEASURED TARGET ok|MISSED
    [ -n "${IMAS_BENCH_FIGURES:-}" ] || return 0
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$IMAS_BENCH_FIGURES"
}
[ "${0##*/}" = figures.sh ] || return 0 2>/dev/null
[ -s "${1:-}" ] || { echo "figures.sh: no figures in '${1:-}'" >&2; exit 1; }
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
echo
echo "SPEC 10 figures on $(uname -n), $(nproc) cores, load average ${load:-?}:"
awk -F'\t' '
    { what[NR] = $1; got[NR] = $2; want[NR] = $3; ok[NR] = $4
      if (length($1) > w1) w1 = length($1); if (length($2) > w2) w2 = length($2)
      if (length($3) > w3) w3 = length($3); if ($4 != "ok") missed++ }
    END {
        printf "  %-" w1 "s  %-" w2 "s  %-" w3 "s  %s\n", "what", "measured", "target", ""
        for (i = 1; i <= NR; i++)
            printf "  %-" w1 "s  %-" w2 "s  %-" w3 "s  %s\n", what[i], got[i], want[i], ok[i]
        printf "  %d of %d figures on target\n", NR - missed, NR
    }' "$1"
