#!/usr/bin/env bash
# Feeds 100,000 agreement/competency records for 20,000 locations through the batch API of a freshly started
# eligibility-service and prints records/s and the time until every EligibilityChanged is published.
# Needs the shared local infrastructure (PostgreSQL, Kafka, Keycloak) running; runs as the instance "bench"
# (docs/conventions.md, "Instances"): database eligibility_bench, realm incentives-bench, topics bench.*.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PORT=${BENCH_PORT:-8122}
LOG=${BENCH_LOG:-/tmp/eligibility-bench-service.log}
cd "$ROOT"
deploy/local/instance.sh bench >/dev/null 2>&1 || { deploy/local/instance.sh bench; exit 1; }

if [ ! -f eligibility-service/target/quarkus-app/quarkus-run.jar ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  ./mvnw -B -ntp package -pl eligibility-service -am -DskipTests
fi

# identity.events is not consumed: the benchmark writes its locations itself.
INCENTIVES_INSTANCE=bench java -Xmx1g -Dquarkus.http.port="$PORT" \
  -Dmp.messaging.incoming.identity-events.enabled=false \
  -jar eligibility-service/target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE_PID=$!
trap 'kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true' EXIT

echo "Waiting for eligibility-service on port $PORT (log: $LOG)"
for _ in $(seq 1 300); do
  if curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVICE_PID" 2>/dev/null; then echo "The service exited; see $LOG"; exit 1; fi
  sleep 1
done
curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null || { echo "Service not ready; see $LOG"; exit 1; }

BENCH_SERVICE_URL="http://localhost:$PORT" \
  java -cp "eligibility-service/target/quarkus-app/lib/main/*" bench/eligibility-feed/FeedBenchmark.java
