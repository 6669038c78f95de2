#!/usr/bin/env bash
# Summarises pg_stat_activity samples (lines "time|state|wait_event_type|wait_event|query", one tick every
# <interval> s, several lines per tick when several sessions are busy) between two times of day (HH:MM:SS.ss):
#   bench/lib/pg-activity-summary.sh <samples> <from> <to> <interval>
# A wall-clock view of where a piece of work spends its time on the database side: the share of ticks in which at
# least one session was executing a statement ("active") versus only holding a transaction open while the
# application works ("idle in transaction"), and the statements seen most often.
set -euo pipefail
awk -F'|' -v from="$2" -v to="$3" -v interval="$4" '
  function secs(t,   p) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
  BEGIN { f = secs(from); t = secs(to); ticks = (t - f) / interval }
  NF >= 5 && $1 ~ /^[0-9][0-9]:/ {
    s = secs($1); if (s < f || s > t) next
    if ($2 == "active") active[$1] = 1; else open[$1] = 1
    key = $2 " (" ($3 == "" ? "on CPU" : $3 ":" $4) ") " substr($5, 1, 90)
    seen[key]++; rows++
  }
  END {
    for (k in active) a++
    for (k in open) if (!(k in active)) o++
    printf "window %s .. %s: %.1f s, ~%d ticks of %.2f s\n", from, to, t - f, ticks, interval
    printf "ticks with a statement executing in PostgreSQL (active): %d (%.0f%%)\n", a, 100 * a / ticks
    printf "ticks with only open transactions waiting for the application (idle in transaction): %d (%.0f%%)\n", o, 100 * o / ticks
    n = ticks - a - o; if (n < 0) n = 0; printf "ticks with no busy session: %d (%.0f%%)\n", n, 100 * n / ticks
    print "-- most seen (state (wait) statement), as share of ticks --"
    for (k in seen) printf "%6.1f%%  %s\n", 100 * seen[k] / ticks, k | "sort -rn | head -15"
  }' "$1"
