#!/usr/bin/env bash
# A/B of gateway builds in one run, taken in turns (A B C A B C ...), because on this shared 2-core machine two runs
# of bench/run-all.sh minutes apart differed more than the change did (the untouched direct read moved 0.76 -> 1.15
# CPU ms/request). Run right after `BENCH_SKIP="events payout" bash bench/run-all.sh`, which leaves the bench
# instance's databases (and the location it registered) behind.
#
#   bash bench/results/2026-12-03/gateway/ab.sh <partner id> <out dir> name=<quarkus-app dir>[:ratelimit] ...
#
# Starts eligibility-service (8132, instance bench) and each gateway (8140, 8141, ...; ":ratelimit" turns the Redis
# rate limiter on under a limit no run reaches), warms each up, then ROUNDS (3) rounds of wrk (2 threads, 16
# connections, WRK_SECONDS (15) s) per gateway plus the same GET direct. Prints per run: req/s p50 p99 non-2xx and CPU
# ms/request of the gateway and of eligibility-service (/proc/<pid>/stat, user + system).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
cd "$ROOT"
PARTNER=$1 OUT=$2
shift 2
mkdir -p "$OUT"
ROUNDS=${ROUNDS:-3} WRK_SECONDS=${WRK_SECONDS:-15}
KEYCLOAK=http://localhost:8180
declare -a NAMES=() PIDS=() PORTS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
wait_up() { until curl -fs -o /dev/null "$1"; do sleep 0.5; done; }

env QUARKUS_HTTP_PORT=8132 QUARKUS_LOG_CONSOLE_JSON_ENABLED=false INCENTIVES_INSTANCE=bench \
  java -Xms64m -Xmx256m -XX:+UseSerialGC -jar eligibility-service/target/quarkus-app/quarkus-run.jar \
  >"$OUT/eligibility.log" 2>&1 &
E_PID=$!
PIDS+=("$E_PID")
wait_up http://localhost:8132/q/health/ready
port=8140
for spec in "$@"; do
  name=${spec%%=*} rest=${spec#*=}
  dir=${rest%%:*} limit=off
  [[ $rest == *:ratelimit ]] && limit=on
  env=(QUARKUS_HTTP_PORT=$port QUARKUS_LOG_CONSOLE_JSON_ENABLED=false INCENTIVES_INSTANCE=bench
    GATEWAY_SERVICES_ELIGIBILITY_URL=http://localhost:8132 GATEWAY_OIDC_CLIENT_SECRET=gateway-secret
    GATEWAY_SESSION_ENCRYPTION_SECRET=local-only-session-encryption-secret-0123456789
    GATEWAY_STATE_SECRET=local-only-state-secret-0123456789abcdef)
  if [[ $limit == on ]]; then
    env+=(GATEWAY_RATE_LIMIT_ENABLED=true GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND=1000000
      GATEWAY_RATE_LIMIT_BURST=1000000)
  else
    env+=(GATEWAY_RATE_LIMIT_ENABLED=false)
  fi
  env "${env[@]}" java -Xms64m -Xmx256m -XX:+UseSerialGC -jar "$dir/quarkus-run.jar" >"$OUT/gateway-$name.log" 2>&1 &
  PIDS+=($!)
  NAMES+=("$name")
  PORTS+=("$port")
  wait_up "http://localhost:$port/q/health/ready"
  port=$((port + 1))
done

token() {
  curl -fs -d grant_type=password -d client_id=incentives-cli -d username=operator -d password=Operator-Demo-1 \
    "$KEYCLOAK/realms/incentives-bench/protocol/openid-connect/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/'
}
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
run() { # run <label> <url> <gateway pid or empty>
  local label=$1 url=$2 gpid=$3 g0=0 g1=0 e0 e1
  [[ -n $gpid ]] && g0=$(ticks "$gpid")
  e0=$(ticks "$E_PID")
  BENCH_TOKEN=$(token) wrk -t2 -c16 -d"${WRK_SECONDS}s" --latency -s bench/lib/auth.lua "$url" >"$OUT/$label.wrk.txt"
  [[ -n $gpid ]] && g1=$(ticks "$gpid")
  e1=$(ticks "$E_PID")
  awk -v label="$label" -v g=$((g1 - g0)) -v e=$((e1 - e0)) -v hz="$(getconf CLK_TCK)" -v la="$(cut -d' ' -f1 /proc/loadavg)" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    / requests in / { n = $1 }
    $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
    $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%-22s req/s %8.1f  p50 %6.2f  p99 %7.2f  non2xx %d  cpu_gateway %.3f  cpu_eligibility %.3f  load %s\n",
      label, rps, p50, p99, bad, 1000 * g / hz / n, 1000 * e / hz / n, la }' "$OUT/$label.wrk.txt" | tee -a "$OUT/ab.txt"
}
D="http://localhost:8132/api/v1/locations/$PARTNER"
t=$(token)
for i in "${!NAMES[@]}"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $t" "http://localhost:${PORTS[$i]}/api/v1/locations/$PARTNER")
  [[ $code == 200 ]] || { echo "gateway ${NAMES[$i]} answered $code"; exit 1; }
done
echo "warm-up 10 s per URL" >&2
BENCH_TOKEN=$t wrk -t2 -c16 -d10s -s bench/lib/auth.lua "$D" >/dev/null
for i in "${!NAMES[@]}"; do
  BENCH_TOKEN=$t wrk -t2 -c16 -d10s -s bench/lib/auth.lua "http://localhost:${PORTS[$i]}/api/v1/locations/$PARTNER" >/dev/null
done
# Each round starts with the direct GET, then the gateways, the first one moving by one each round (the JIT keeps
# warming for minutes on this machine: no gateway is always measured first).
n=${#NAMES[@]}
for round in $(seq 1 "$ROUNDS"); do
  run "direct-$round" "$D" ""
  for k in $(seq 0 $((n - 1))); do
    i=$(((k + round - 1) % n))
    run "${NAMES[$i]}-$round" "http://localhost:${PORTS[$i]}/api/v1/locations/$PARTNER" "${PIDS[$((i + 1))]}"
  done
done
