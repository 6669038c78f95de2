#!/usr/bin/env python3
"""Round trips to PostgreSQL by what made them, from a JFR recording made with bench/lib/waits.jfc:

    python3 bench/lib/jfr-pg-writes.py <recording.jfr> [unit frame regex]

Every socket write to port 5432 is counted under the first of our own frames on its stack (com.acme..., shown
without the package's first three parts); 'sync' counts those that are the driver's lone Sync before a statement
(pgjdbc's flushIfDeadlockRisk on the stack: one more round trip). The unit (default: the EligibilityChanged that
enrollment-service consumes, EnrollmentService.lock) is counted as the writes with that frame, and 'per unit' divides
by it. A statement is one write, or two when the driver flushes its parse apart, so writes approximate round trips."""
import re
import subprocess
import sys
from collections import Counter

recording = sys.argv[1]
unit = re.compile(sys.argv[2] if len(sys.argv) > 2 else r"EnrollmentService\.lock\(")
text = subprocess.run(["jfr", "print", "--events", "jdk.SocketWrite", "--stack-depth", "64", recording],
                      capture_output=True, text=True, check=True).stdout
writes, syncs = Counter(), Counter()
units = 0
for event in text.split("jdk.SocketWrite {")[1:]:
    if not re.search(r"\bport = 5432\b", event):
        continue
    frames = re.findall(r"^\s+([\w.$<>]+)\(", event, re.M)
    ours = next((f for f in frames if f.startswith("com.acme.")), "(none of ours)")
    name = ".".join(ours.split(".")[3:]) or ours
    writes[name] += 1
    if any("flushIfDeadlockRisk" in f for f in frames):
        syncs[name] += 1
    if unit.search(event):
        units += 1
print(f"units ({unit.pattern}): {units}")
print(" writes  per unit  sync  first of our frames")
for name, count in writes.most_common():
    print(f"{count:7d}  {count / max(units, 1):8.2f}  {syncs[name]:4d}  {name}")
print(f"{sum(writes.values()):7d}  {sum(writes.values()) / max(units, 1):8.2f}  {sum(syncs.values()):4d}  (all)")
