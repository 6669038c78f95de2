#!/usr/bin/env python3
"""Where one kind of request waits, from a JFR recording made with bench/lib/waits.jfc:

    python3 bench/lib/jfr-waits.py <recording.jfr> <requests> [frame regex]

JFR's CPU samples see only running threads: a request that takes 20 ms for 5 ms of CPU spent the rest waiting, and
waits.jfc records every wait with its stack. The request's waits are those with a frame matching the regex on the
stack (default: the feed's first-transaction write, LocationResource.putFirstTransaction); <requests> is how many such
requests the recording saw, for the figures per request. Printed: the request's waits by kind, then by what waits (the
first frame outside the JDK) and for what (the first of our own frames), its CPU samples, the recording's GC pauses,
and the other threads' waits for context."""
import re
import subprocess
import sys
from collections import defaultdict

WAITS = ["jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.SocketRead", "jdk.SocketWrite"]
JDK = re.compile(r"^(java|javax|jdk|sun)[./]")
OURS = re.compile(r"^com[./]acme[./]")
GENERATED = re.compile(r"\$\$Lambda|_Subclass|_ClientProxy|\$\$function")


UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}


def seconds(text):
    """JFR prints durations with a unit ('0.178 ms', '2.5 s')."""
    number, _, unit = (text or "0 s").partition(" ")
    return float(number.replace(",", "")) * UNITS.get(unit, 1.0)


def events(recording, types):
    """Each event of these types as (type, fields, frames), read as `jfr print` streams its text: the JSON form of a
    recording with deep stacks does not fit in memory."""
    command = ["jfr", "print", "--stack-depth", "256", "--events", ",".join(types), recording]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1 << 20) as jfr:
        kind, fields, frames, in_stack = None, {}, [], False
        for line in jfr.stdout:
            line = line.strip()
            if kind is None:
                if line.endswith("{"):
                    kind, fields, frames, in_stack = line[:-1].strip().removeprefix("jdk."), {}, [], False
            elif in_stack:
                if line == "]":
                    in_stack = False
                elif line != "...":
                    frames.append(line.split("(", 1)[0])
            elif line == "stackTrace = [":
                in_stack = True
            elif line == "}":
                yield kind, fields, frames
                kind = None
            elif " = " in line:
                key, _, value = line.partition(" = ")
                # a thread prints as "name" (javaThreadId = n), or N/A for none
                fields[key] = value.split('"')[1] if key == "eventThread" and '"' in value else value.strip('"')
        if jfr.wait() != 0:
            raise SystemExit(f"jfr print failed on {recording}")


def table(title, rows, requests, top):
    print(title)
    print(f"  {'count':>7} {'total ms':>10} {'per request, ms':>16}  what")
    for key, (count, took) in sorted(rows.items(), key=lambda kv: -kv[1][1])[:top]:
        print(f"  {count:7d} {took * 1000:10.1f} {took * 1000 / requests:16.2f}  {' | '.join(key)}")
    print()


def main():
    recording, requests = sys.argv[1], int(sys.argv[2])
    request = re.compile(sys.argv[3] if len(sys.argv) > 3 else r"LocationResource\.putFirstTransaction")
    window = [None, None]  # the first and last of the request's waits: the GC pauses that count fall between
    kinds = defaultdict(lambda: [0, 0.0])
    each = defaultdict(list)  # kind -> every wait's length, for its spread
    sites = defaultdict(lambda: [0, 0.0])
    others = defaultdict(lambda: [0, 0.0])
    for kind, fields, frames in events(recording, WAITS):
        took = seconds(fields.get("duration"))
        if not any(request.search(f) for f in frames):
            pool = re.sub(r"[-_ #]*\d+$", "", fields.get("eventThread", "?"))
            others[(pool, kind)][0] += 1
            others[(pool, kind)][1] += took
            continue
        at = fields.get("startTime")
        window = [min(window[0] or at, at), max(window[1] or at, at)]
        waiter = next((f for f in frames if not JDK.match(f)), "?")
        ours = next((f for f in frames if OURS.match(f) and not GENERATED.search(f)), "?")
        each[kind].append(took)
        kinds[(kind,)][0] += 1
        kinds[(kind,)][1] += took
        sites[(kind, waiter, ours)][0] += 1
        sites[(kind, waiter, ours)][1] += took
    total = sum(t for _, t in kinds.values())
    print(f"The request's waits ({request.pattern} on the stack), {requests} requests: "
          f"{total * 1000 / requests:.2f} ms per request in all\n")
    table("By kind:", kinds, requests, 10)
    print("One wait's length, by kind (a request's tail is made of its longest waits):")
    for kind, lengths in sorted(each.items()):
        lengths.sort()
        at = lambda q: lengths[min(len(lengths) - 1, int(q * len(lengths)))] * 1000
        print(f"  {kind}: p50 {at(0.5):.2f} ms, p90 {at(0.9):.2f} ms, p99 {at(0.99):.2f} ms,"
              f" max {lengths[-1] * 1000:.2f} ms; {sum(1 for t in lengths if t >= 0.005)} of {len(lengths)} took"
              f" 5 ms or more")
    print()
    table("By kind, what waits (the first frame outside the JDK) and for what (the first of ours):", sites, requests,
          25)
    samples = sum(1 for _, _, frames in events(recording, ["jdk.ExecutionSample"])
                  if any(request.search(f) for f in frames))
    print(f"CPU samples with the request on the stack: {samples} (one per 10 ms of a running thread at most: "
          f"about {samples * 10 / requests:.2f} ms of CPU per request)")
    # times of one recording (HH:MM:SS.mmm) sort as strings; a pause counts when it starts while the requests ran
    pauses = sorted((seconds(fields.get("sumOfPauses")), fields.get("name"))
                    for _, fields, _ in events(recording, ["jdk.GarbageCollection"])
                    if window[0] and window[0] <= fields.get("startTime") <= window[1])
    print(f"GC pauses while the requests ran ({window[0]} to {window[1]}): {len(pauses)}, "
          f"{sum(p for p, _ in pauses) * 1000:.1f} ms in all; the longest: "
          + ", ".join(f"{p * 1000:.1f} ms ({name})" for p, name in reversed(pauses[-5:])) + "\n")
    table("Other threads' waits, for context (idle pools wait too), by thread pool and kind:", others, requests, 10)


if __name__ == "__main__":
    main()
