#!/usr/bin/env bash
# Where the feed-write-to-invitation time goes, per stage, from the rows the services wrote themselves (one clock:
# this machine's), for the locations whose partner IDs start with <prefix>:
#   bench/lib/event-path.sh <prefix> [from partner ID] [eligibility db] [enrollment db]
#   write -> outbox:   first_transaction.updated_at -> the EligibilityChanged outbox row's created_at (eligibility,
#                      evaluation in the write's transaction)
#   outbox -> Kafka:   created_at -> sent_at (eligibility's outbox relay)
#   Kafka -> invited:  sent_at -> invitation.issued_at (Kafka, enrollment's consumer, invitation transaction)
set -euo pipefail
PREFIX=$1; FROM=${2:-0}; EDB=${3:-eligibility_bench}; NDB=${4:-enrollment_bench}
PG=(-h 127.0.0.1 -U postgres -At -F ' ')
{
  psql "${PG[@]}" -d "$EDB" -c "SELECT 'E', f.partner_id, extract(epoch FROM f.updated_at),
      extract(epoch FROM o.created_at), extract(epoch FROM o.sent_at)
    FROM first_transaction f JOIN outbox_event o ON o.aggregate_id = f.partner_id
      AND o.event_type = 'EligibilityChanged' AND o.payload LIKE '%\"eligible\":true%'
    WHERE f.partner_id LIKE '$PREFIX%' AND f.partner_id >= '$FROM'"
  psql "${PG[@]}" -d "$NDB" -c "SELECT 'N', partner_id, extract(epoch FROM min(issued_at)) FROM invitation
    WHERE partner_id LIKE '$PREFIX%' AND partner_id >= '$FROM' GROUP BY partner_id"
} | awk '
  $1 == "E" { w[$2] = $3; c[$2] = $4; s[$2] = $5 }
  $1 == "N" { n[$2] = $3 }
  function pct(arr, k, p,   i) { i = int(p / 100 * k + 0.999999); if (i < 1) i = 1; return arr[i] }
  function report(name, arr, k) {
    asort(arr)
    printf "%-18s n=%4d  p50 %7.0f ms  p90 %7.0f ms  p99 %7.0f ms  max %7.0f ms\n", name, k, pct(arr, k, 50),
      pct(arr, k, 90), pct(arr, k, 99), arr[k]
  }
  END {
    for (p in n) if (p in c && s[p] != "") {
      k++; a[k] = 1000 * (c[p] - w[p]); b[k] = 1000 * (s[p] - c[p]); d[k] = 1000 * (n[p] - s[p]); t[k] = 1000 * (n[p] - w[p])
    }
    report("write -> outbox", a, k); report("outbox -> Kafka", b, k); report("Kafka -> invited", d, k)
    report("write -> invited", t, k)
  }'
