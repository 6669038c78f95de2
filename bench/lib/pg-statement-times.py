#!/usr/bin/env python3
"""PostgreSQL's own time per statement, from its log, for one role and database between two times.

    python3 bench/lib/pg-statement-times.py LOG USER@DATABASE FROM TO [TOP]

LOG is the server log (here /var/log/postgresql/postgresql-15-main.log) written with every statement's duration:
    ALTER ROLE payout IN DATABASE payout_bench SET log_min_duration_statement = 0;
    ALTER ROLE payout IN DATABASE payout_bench SET log_parameter_max_length = 0;  -- no bound values in the log
(set before the service connects; RESET afterwards, or drop the database). FROM and TO are the log's timestamps,
e.g. a payout run's started_at and completed_at ("2026-12-05 03:06:47.8"). Prints the total, then the statements
(parse, bind and execute apart, by their first 110 characters) by time spent, with their counts. Logging every
statement slows the service down: a profile, not a figure to report.
"""
import collections
import re
import sys

log, who, start, end = sys.argv[1:5]
top = int(sys.argv[5]) if len(sys.argv) > 5 else 40
line = re.compile(r'^(\S+ \S+) \S+ \[\d+\] ' + re.escape(who)
                  + r' LOG:  duration: ([\d.]+) ms  (parse|bind|execute|statement)[^:]*: ?(.*)$')
spent = collections.defaultdict(lambda: [0, 0.0])
total = 0.0
lines = open(log, errors='replace').read().split('\n')
i = 0
while i < len(lines):
    m = line.match(lines[i])
    i += 1
    if not m or not start <= m.group(1) <= end:
        continue
    sql = m.group(4)
    while i < len(lines) and lines[i].startswith('\t'):  # the statement's further lines
        sql += ' ' + lines[i].strip()
        i += 1
    key = m.group(3) + ' ' + re.sub(r'\s+', ' ', sql)[:110]
    spent[key][0] += 1
    spent[key][1] += float(m.group(2))
    total += float(m.group(2))
print('total: %.0f ms' % total)
for key, (count, ms) in sorted(spent.items(), key=lambda kv: -kv[1][1])[:top]:
    print('%8.0f ms %6d  %s' % (ms, count, key))
