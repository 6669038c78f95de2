#!/usr/bin/env bash
# Ingests 1,000,000 earnings for 10,000 locations through the batch API of a freshly started payout-service, runs
# the payout for last month, and compares the run's duration with one PostgreSQL GROUP BY over the same earnings.
# Needs the shared local infrastructure (PostgreSQL, Kafka, Keycloak) running; runs as the instance "bench"
# (docs/conventions.md, "Instances"): database payout_bench, realm incentives-bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${BENCH_PORT:-8124}
LOG=${BENCH_LOG:-/tmp/payout-bench-service.log}
DB=${BENCH_DB:-payout_bench}
# Extra JVM options for the service, e.g. a JFR recording (bench/run-all.sh profiles the run with it).
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:-}"
# The local-only key services.sh gives a developer's run (the jar refuses it unless told this is a local run).
KEY=${BENCH_ENCRYPTION_KEY:-TE9DQUwtT05MWS1kby1ub3QtdXNlLWluLXByb2QhISE=}
cd "$ROOT"
# The instance's realm, topics and databases (run-all.sh has made them already: idempotent).
deploy/local/instance.sh bench >/dev/null 2>&1 || { deploy/local/instance.sh bench; exit 1; }

if [ ! -f payout-service/target/quarkus-app/quarkus-run.jar ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  ./mvnw -B -ntp package -pl payout-service -am -DskipTests
fi

# Not consumed: identity.events and enrollment.events (the benchmark writes its locations and enrolments itself),
# and the outbox relay is off so 20,000 PaymentIssued events of fake locations are never published (PayoutBenchmark
# deletes them from the outbox at the end).
INCENTIVES_INSTANCE=bench \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
PAYOUT_ENCRYPTION_KEY="$KEY" PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY=true \
java -Xmx1g ${JAVA_OPTS[@]+"${JAVA_OPTS[@]}"} -Dquarkus.http.port="$PORT" \
  -Dmp.messaging.incoming.identity-events.enabled=false \
  -Dmp.messaging.incoming.enrollment-events.enabled=false \
  -Dplatform.outbox.enabled=false \
  -Dpayout.run.schedule=off \
  -Dpayout.bank.send-every=off -Dpayout.bank.poll-every=off \
  -jar payout-service/target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true' EXIT

echo "Waiting for payout-service on port $PORT (log: $LOG)"
for _ in $(seq 1 300); do
  if curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "The service exited; see $LOG"; exit 1; fi
  sleep 1
done
curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null || { echo "Service not ready; see $LOG"; exit 1; }

BENCH_SERVICE_URL="http://localhost:$PORT" BENCH_ENCRYPTION_KEY="$KEY" \
  BENCH_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" \
  java -Xmx2g -cp "payout-service/target/quarkus-app/lib/main/*" bench/payout-run/PayoutBenchmark.java
