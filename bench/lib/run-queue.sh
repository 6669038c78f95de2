#!/usr/bin/env bash
# How long a process's threads ran and how long they waited for a core, from the kernel's per-thread schedstat
# (/proc/<pid>/task/<tid>/schedstat: ns on a CPU, ns runnable but waiting on a run queue, time slices). A thread
# preempted on a busy machine looks "running" to JFR and to the service's own timers; only the kernel sees that wait.
#   bench/lib/run-queue.sh snapshot <pid>... > before.txt   (one line per thread: pid, tid, name, cpu ns, wait ns)
#   bench/lib/run-queue.sh diff before.txt after.txt <requests>
# "diff" prints, per thread pool (the thread's name without its number) over every pid, the CPU and run-queue time
# between the two snapshots, in all and per request. A thread started in between counts in full; one that ended in
# between (pools let idle threads go, the JIT its idle compilers) is lost with its time, and "diff" says how many.
set -euo pipefail
case $1 in
  snapshot)
    shift
    for pid in "$@"; do
      for task in /proc/"$pid"/task/*; do
        # a thread may end between the listing and the read
        { read -r name <"$task/comm" && read -r cpu wait _ <"$task/schedstat"; } 2>/dev/null || continue
        printf '%s\t%s\t%s\t%s\t%s\n' "$pid" "${task##*/}" "$name" "$cpu" "$wait"
      done
    done
    ;;
  diff)
    awk -F '\t' -v requests="$4" '
      FNR == NR { before[$1 "/" $2] = 1; cpu0[$1 "/" $2] = $4; wait0[$1 "/" $2] = $5; next }
      {
        pool = $3; sub(/[-_# ]*[0-9]+$/, "", pool)
        cpu[pool] += $4 - cpu0[$1 "/" $2]; wait[pool] += $5 - wait0[$1 "/" $2]
        delete before[$1 "/" $2]
      }
      END {
        printf "%10s %12s %14s %16s  %s\n", "CPU ms", "run queue ms", "CPU ms/request", "queue ms/request",
          "thread pool (name without its number; 15 characters at most)"
        for (k in cpu) if (cpu[k] >= 1e6)
          printf "%10.0f %12.0f %14.2f %16.2f  %s\n", cpu[k] / 1e6, wait[k] / 1e6, cpu[k] / 1e6 / requests,
            wait[k] / 1e6 / requests, k | "sort -n -r"
        close("sort -n -r")
        ended = length(before)
        if (ended > 0) printf "%d thread(s) ended between the two snapshots: their time is not counted\n", ended
      }' "$2" "$3"
    ;;
  *) echo "usage: $0 snapshot <pid>... | diff <before> <after> <requests>" >&2; exit 2 ;;
esac
