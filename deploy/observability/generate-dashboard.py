#!/usr/bin/env python3
"""Writes grafana-dashboard.json next to this file: edit the panels here, run it, commit both."""
import json
import os

DS = {"type": "prometheus", "uid": "${datasource}"}
APP = 'application=~"$application"'
panels = []
pid = [0]
y = [0]

def row(title):
    pid[0] += 1
    panels.append({"type": "row", "id": pid[0], "title": title, "collapsed": False,
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": y[0]}, "panels": []})
    y[0] += 1

def ts(title, desc, targets, unit="short", x=0, w=12, h=8, newline=False, stack=False):
    pid[0] += 1
    p = {
        "type": "timeseries", "id": pid[0], "title": title, "description": desc, "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": x, "y": y[0]},
        "fieldConfig": {"defaults": {"unit": unit, "custom": {"drawStyle": "line", "fillOpacity": 10,
                                                               "stacking": {"mode": "normal" if stack else "none"}}},
                        "overrides": []},
        "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull", "max"]},
                    "tooltip": {"mode": "multi"}},
        "targets": [{"datasource": DS, "refId": chr(65 + i), "expr": e, "legendFormat": l}
                    for i, (e, l) in enumerate(targets)],
    }
    panels.append(p)
    if x + w >= 24:
        y[0] += h

def stat(title, desc, expr, legend, unit="short", x=0, w=6, h=5, thresholds=None):
    pid[0] += 1
    steps = thresholds or [{"color": "green", "value": None}]
    panels.append({
        "type": "stat", "id": pid[0], "title": title, "description": desc, "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": x, "y": y[0]},
        "fieldConfig": {"defaults": {"unit": unit, "thresholds": {"mode": "absolute", "steps": steps}},
                        "overrides": []},
        "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                    "colorMode": "background", "graphMode": "area", "textMode": "value_and_name"},
        "targets": [{"datasource": DS, "refId": "A", "expr": expr, "legendFormat": legend}],
    })
    if x + w >= 24:
        y[0] += h

# --- Requests
row("Requests (every service and the gateway)")
ts("Request rate per route",
   "Requests per second by service, method and route template (http_server_requests_seconds_count). Routes are JAX-RS "
   "templates, never raw paths; the gateway's proxied calls appear as /api/{proxied}.",
   [(f'sum by (application, method, uri) (rate(http_server_requests_seconds_count{{{APP}, uri!~"/q/.*"}}[$__rate_interval]))',
     "{{application}} {{method}} {{uri}}")], unit="reqps", x=0)
ts("Errors per route (5xx, and 4xx apart)",
   "Server errors are ours; client errors (4xx) are shown apart because a spike of 401/403/404 is worth a look too.",
   [(f'sum by (application, method, uri) (rate(http_server_requests_seconds_count{{{APP}, status=~"5.."}}[$__rate_interval]))',
     "5xx {{application}} {{method}} {{uri}}"),
    (f'sum by (application, status) (rate(http_server_requests_seconds_count{{{APP}, status=~"4.."}}[$__rate_interval]))',
     "4xx {{application}} {{status}}")], unit="reqps", x=12)
ts("Latency p95 per route",
   "95th percentile from the http_server_requests_seconds histogram (buckets 5 ms .. 10 s), across replicas.",
   [(f'histogram_quantile(0.95, sum by (le, application, method, uri) (rate(http_server_requests_seconds_bucket{{{APP}, uri!~"/q/.*"}}[$__rate_interval])))',
     "{{application}} {{method}} {{uri}}")], unit="s", x=0)
ts("Latency p50 per route", "Median from the same histogram.",
   [(f'histogram_quantile(0.5, sum by (le, application, method, uri) (rate(http_server_requests_seconds_bucket{{{APP}, uri!~"/q/.*"}}[$__rate_interval])))',
     "{{application}} {{method}} {{uri}}")], unit="s", x=12)
ts("Gateway: relayed calls per service and status class",
   "gateway_upstream_requests_seconds_count{service, status}: what the gateway relayed, and how each service answered "
   "(502/504 are the gateway's own answers when a service is unreachable or silent).",
   [('sum by (service, status) (rate(gateway_upstream_requests_seconds_count[$__rate_interval]))', "{{service}} {{status}}")],
   unit="reqps", x=0)
ts("Gateway: upstream latency p95 per service", "Time from the gateway relaying a call to the end of the answer.",
   [('histogram_quantile(0.95, sum by (le, service) (rate(gateway_upstream_requests_seconds_bucket[$__rate_interval])))',
     "{{service}}")], unit="s", x=12)

# --- Events
row("Events: outbox, consumers, dead letters")
ts("Outbox backlog", "Outbox rows written but not yet published to Kafka (outbox_backlog), per service. Grows when "
   "Kafka is away; the relay catches up when it returns.",
   [(f'max by (application) (outbox_backlog{{{APP}}})', "{{application}}")], x=0, w=8)
ts("Oldest unpublished event age", "Age of the oldest unpublished outbox row (outbox_oldest_unsent_age_seconds): how "
   "late downstream services are seeing this service's events.",
   [(f'max by (application) (outbox_oldest_unsent_age_seconds{{{APP}}})', "{{application}}")], unit="s", x=8, w=8)
ts("Events published and publish failures", "outbox_events_published_total and outbox_publish_failures_total.",
   [(f'sum by (application) (rate(outbox_events_published_total{{{APP}}}[$__rate_interval]))', "published {{application}}"),
    (f'sum by (application) (rate(outbox_publish_failures_total{{{APP}}}[$__rate_interval]))', "failures {{application}}")],
   unit="ops", x=16, w=8)
ts("Consumer lag per channel", "Records not yet read by each consumer client (one per channel; client_id "
   "kafka-consumer-<channel>): the largest partition lag it measured recently, from the Kafka client's own metrics "
   "(kafka_consumer_fetch_manager_records_lag_max).",
   [(f'max by (application, client_id) (kafka_consumer_fetch_manager_records_lag_max{{{APP}}})',
     "{{application}} {{client_id}}")], x=0, w=8)
ts("Events consumed per consumer and outcome", "inbox_events_total{consumer, type, outcome}: applied, duplicate "
   "(dropped by event id) or dead-letter.",
   [(f'sum by (consumer, outcome) (rate(inbox_events_total{{{APP}}}[$__rate_interval]))', "{{consumer}} {{outcome}}")],
   unit="ops", x=8, w=8)
ts("Dead letters (last hour)", "Records moved to a dead-letter topic (inbox_dead_letters_total{consumer, type, "
   "reason}); reason is unreadable, poison or retries-exhausted. Every one needs an operator's look.",
   [(f'sum by (consumer, type, reason) (increase(inbox_dead_letters_total{{{APP}}}[1h]))', "{{consumer}} {{type}} {{reason}}")],
   x=16, w=8)

# --- Business
row("Business (registered by enrollment-service and payout-service, see docs/observability.md)")
ts("Invitations issued per programme", "enrollment_invitations_issued_total{program}: an invitation is issued as soon "
   "as a location becomes eligible for a programme.",
   [('sum by (program) (increase(enrollment_invitations_issued_total[1h]))', "{{program}}")], x=0, w=8, stack=True)
# The payout and migration figures are gauges read from the database: every replica reports the same value, so
# they are combined with max (a sum would multiply them by the number of replicas).
ts("Payments by state", "payout_payments{state}: how many payments are in each state now (UPCOMING, IN_PROGRESS, "
   "SENT, PAID, ON_HOLD, FAILED, REJECTED, RETURNED, FORFEITED), read from the database every 30 s.",
   [('max by (state) (payout_payments)', "{{state}}")], x=8, w=8, stack=True)
ts("Amount held per currency", "payout_amount_held{currency}: the total of payments ON_HOLD, in each currency.",
   [('max by (currency) (payout_amount_held)', "{{currency}}")], x=16, w=8)
ts("Payment amounts by state and currency", "payout_payments_amount{state, currency}: the sum of the payments' "
   "amounts, in their own currency.",
   [('max by (state, currency) (payout_payments_amount)', "{{state}} {{currency}}")], x=0, w=16)
ts("Bank files by state", "payout_bank_files{state}: pain.001 files READY (waiting for the sender: the bank's "
   "channel refuses or cannot be reached when this stays up), SUBMITTED (waiting for the bank's first report), "
   "ACKNOWLEDGED.", [('max by (state) (payout_bank_files)', "{{state}}")], x=16, w=8, stack=True)
ts("Migrations by state", "enrollment_migrations{state}: organizations per migration state (SCHEDULED, NOTIFIED, "
   "USERS_SET_UP, COMPLETED), read from the database every 30 s.",
   [('max by (state) (enrollment_migrations)', "{{state}}")], x=0, w=8, stack=True)

dashboard = {
    "title": "Partner incentives platform",
    "uid": "partner-incentives",
    "description": "Requests, events and business figures of the partner incentives services (docs/observability.md).",
    "tags": ["partner-incentives"],
    "timezone": "utc",
    "schemaVersion": 39,
    "version": 1,
    "editable": True,
    "refresh": "30s",
    "time": {"from": "now-6h", "to": "now"},
    "templating": {"list": [
        {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
         "current": {}, "hide": 0},
        {"name": "application", "label": "Service", "type": "query", "datasource": DS,
         "query": {"query": "label_values(http_server_requests_seconds_count, application)", "refId": "application"},
         "definition": "label_values(http_server_requests_seconds_count, application)",
         "includeAll": True, "multi": True, "allValue": ".*", "refresh": 2, "sort": 1,
         "current": {"selected": True, "text": ["All"], "value": ["$__all"]}},
    ]},
    "annotations": {"list": []},
    "panels": panels,
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "grafana-dashboard.json"), "w") as f:
    json.dump(dashboard, f, indent=2)
    f.write("\n")
print(len(panels), "panels")
