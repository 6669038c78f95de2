#!/usr/bin/env bash
# Aggregates the CPU samples (jdk.ExecutionSample) of a JFR recording:
#   bench/lib/jfr-top.sh <recording.jfr> [stack filter regex] [top N]
# prints the top frames (self time), and the top "first application frame" (com.acme.*) of each sample, both as
# share of the samples kept. With a filter, only samples whose stack contains a frame matching it are kept.
set -euo pipefail
FILE=$1; FILTER=${2:-.}; TOP=${3:-15}
jfr print --events jdk.ExecutionSample --stack-depth 64 "$FILE" | awk -v filter="$FILTER" -v top="$TOP" '
  function flush() {
    if (n > 0) {
      keep = 0
      for (i = 1; i <= n; i++) if (frames[i] ~ filter) { keep = 1; break }
      if (keep) {
        total++; self[frames[1]]++
        for (i = 1; i <= n; i++) if (frames[i] ~ /^com\.acme\./) { app[frames[i]]++; break }
        seen = ""
        for (i = 1; i <= n; i++) {
          f = frames[i]; sub(/\(.*$/, "", f)
          if (index(seen, "|" f "|") == 0) { incl[f]++; seen = seen "|" f "|" }
        }
      }
    }
    n = 0
  }
  /jdk.ExecutionSample/ { flush(); instack = 0; next }
  /stackTrace = \[/ { instack = 1; next }
  instack && /^[[:space:]]*\]/ { instack = 0; next }
  instack {
    line = $0; gsub(/^[[:space:]]+/, "", line); sub(/[[:space:]]+line:.*$/, "", line)
    if (line != "...") frames[++n] = line
  }
  END {
    flush()
    printf "samples kept: %d\n", total
    print "-- top frames (self) --"
    for (f in self) printf "%6.1f%%  %s\n", 100 * self[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "-- first application frame (com.acme.*) --"
    for (f in app) printf "%6.1f%%  %s\n", 100 * app[f] / total, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "-- methods on the stack (inclusive) --"
    for (f in incl) printf "%6.1f%%  %s\n", 100 * incl[f] / total, f | "sort -rn | head -" (top * 2)
    close("sort -rn | head -" (top * 2))
  }'
