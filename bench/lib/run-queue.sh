#!/usr/bin/env bash
# How long a process's threads ran and how long they waited for a core, from the kernel's per-thread schedstat
# (/proc/<pid>/task/<tid>/schedstat: ns on a CPU, ns runnable but waiting on a run queue, time slices). A thread
# preempted on a busy machine looks "running" to JFR and to the service's own timers; only the kernel sees that wait.
#   bench/lib/run-queue.sh snapshot <pid>... > before.txt   (one line per pid and thread pool: pid pool cpu_ns wait_ns)
#   bench/lib/run-queue.sh diff before.txt after.txt <requests>
# "diff" prints, per thread pool (thread name without its number) over every pid, the CPU and run-queue time between
# the two snapshots, in all and per request.
set -euo pipefail
case $1 in
  snapshot)
    shift
    for pid in "$@"; do
      for task in /proc/"$pid"/task/*; do
        # a thread may end between the listing and the read
        { read -r name <"$task/comm" && read -r cpu wait _ <"$task/schedstat"; } 2>/dev/null || continue
        printf '%s\t%s\t%s\t%s\n' "$pid" "$name" "$cpu" "$wait"
      done
    done | awk -F '\t' -v OFS='\t' '{ sub(/[-_# ]*[0-9]+$/, "", $2); cpu[$1 OFS $2] += $3; wait[$1 OFS $2] += $4 }
                                   END { for (k in cpu) print k, cpu[k], wait[k] }'
    ;;
  diff)
    awk -F '\t' -v requests="$4" '
      FNR == NR { cpu[$2] -= $3; wait[$2] -= $4; next }
      { cpu[$2] += $3; wait[$2] += $4 }
      END {
        printf "%10s %12s %14s %16s  %s\n", "CPU ms", "run queue ms", "CPU ms/request", "queue ms/request",
          "thread pool (name without its number; 15 characters at most)"
        for (k in cpu) if (cpu[k] >= 1e6)
          printf "%10.0f %12.0f %14.2f %16.2f  %s\n", cpu[k] / 1e6, wait[k] / 1e6, cpu[k] / 1e6 / requests,
            wait[k] / 1e6 / requests, k | "sort -n -r"
      }' "$2" "$3"
    ;;
  *) echo "usage: $0 snapshot <pid>... | diff <before> <after> <requests>" >&2; exit 2 ;;
esac
