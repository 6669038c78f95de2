#!/usr/bin/env python3
"""Counts what the PostgreSQL JDBC driver sent, from its own trace, to see whether it paid extra round trips.

Make the trace by running a module's tests with the driver's finest log level, e.g. two lines appended for the run
(not committed) to <service>/src/main/resources/application.properties:
    %test.quarkus.log.min-level=ALL
    %test.quarkus.log.category."org.postgresql.core.v3".level=ALL
(ALL, not TRACE: the driver logs at java.util.logging FINEST, below JBoss TRACE), then
    python3 bench/lib/driver-syncs.py <the Maven output>

Prints the Binds, the Syncs, the lone Syncs (a Sync with no Execute since the previous one on the same thread: the
driver asking the server something before it runs a statement, e.g. the type of a parameter sent untyped, one more
round trip each) with the statements they came before, and the timestamp parameters sent untyped and typed.
"""
import collections
import re
import sys

threads = {}
binds = syncs = lone = untyped_timestamps = typed_timestamps = 0
lone_before = collections.Counter()
for line in open(sys.argv[1], errors='replace'):
    m = re.search(r'\((\S+)\) \[cid:[^\]]*\]\s+FE=> (\w+)(.*)', line)
    if not m:
        continue
    thread, message, rest = m.groups()
    state = threads.setdefault(thread, {'executed': False, 'parsed': ''})
    if message == 'Parse':
        state['parsed'] = rest[:160]
    elif message == 'Bind':
        binds += 1
        untyped_timestamps += len(re.findall(r"'\d{4}-\d\d-\d\d \d\d:\d\d:[\d.]+\+00'\)>,type=UNSPECIFIED", rest))
        typed_timestamps += rest.count('type=TIMESTAMPTZ')
    elif message == 'Execute':
        state['executed'] = True
    elif message == 'Sync':
        syncs += 1
        if not state['executed']:
            lone += 1
            lone_before[state['parsed']] += 1
        state['executed'] = False
print(f"binds {binds}  syncs {syncs}  lone syncs {lone}  "
      f"timestamps untyped {untyped_timestamps}  timestamptz {typed_timestamps}")
for statement, count in lone_before.most_common(12):
    print(f"  {count:4d}  {statement}")
