#!/usr/bin/env bash
# Our own services and the gateway, run from their built jars (target/quarkus-app) or their container images, as
# local processes, for one instance of the platform (docs/conventions.md, "Instances").
#
#   deploy/local/services.sh start|stop|status|restart [target...]   (default: everything, gateway last)
#   deploy/local/services.sh kill <target>...                         SIGKILL, for the fault tests
#
# A target is a service (identity eligibility enrollment payout bank gateway: all its replicas) or one replica of
# it, <service>.<n> (payout.2). bank is the bank simulator (one, from its jar; port base + 9: 8109, e2e 8119).
#
# INSTANCE=run (default): ports 8101-8104, gateway 8080, one replica each.
# INSTANCE=e2e          : REPLICAS (default 2) replicas of every service and of the gateway: replica n of a service on
#                         8110 + 4(n-1) + (1..4) (8111-8114, 8115-8118), gateway n on 8089 + n (8090, 8091). Each
#                         gateway spreads calls over every replica of each service.
# Other instances       : INSTANCE=<name> PORT_BASE=<p> GATEWAY_PORT=<g> (services on p+1..p+4).
# Each instance runs with INCENTIVES_INSTANCE=<name>: its own Keycloak realm, Kafka topics, consumer groups and
# databases. Before an instance starts (none of its processes running), instance.sh makes them if missing, and makes
# its databases again, empty, when they were filled against another realm or Kafka cluster (an earlier clone's), or
# always with FRESH=true (the end-to-end tests start from empty databases).
# RUNTIME=jar (default): java -jar on each service's target/quarkus-app.
# RUNTIME=image         : each service's container image (deploy/target/images/<module>.tar), unpacked and run by
#                         container.sh as its pod would run it (read-only root, user 185, tmpfs /tmp, the
#                         Deployment's memory and CPU limits as a cgroup). Needs root.
#                         The end-to-end tests use it, so they test the images that ship.
# Build first: ./mvnw -B -DskipTests package (deploy/local/run.sh does it; it skips the images).
set -euo pipefail
INSTANCE=${INSTANCE:-run}
RUNTIME=${RUNTIME:-jar}
PART=services-$INSTANCE
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$REPO_ROOT/deploy/local"
check_instance "$INSTANCE"

# bank: the bank simulator (bank-simulator/), the bank's transfer channel for this instance's payout-service; always
# one, always run from its jar (it is a stand-in, not something that ships).
ALL=(identity eligibility enrollment payout bank gateway)

case $INSTANCE in
  run) PORT_BASE=8100; GATEWAY_PORT=8080; REPLICAS=${REPLICAS:-1} ;;
  e2e) PORT_BASE=8110; GATEWAY_PORT=8090; REPLICAS=${REPLICAS:-2} ;;
  *)
    [[ -n ${PORT_BASE:-} && -n ${GATEWAY_PORT:-} ]] || die "instance $INSTANCE: set PORT_BASE and GATEWAY_PORT"
    REPLICAS=${REPLICAS:-1} ;;
esac
((REPLICAS >= 1 && REPLICAS <= 2)) || die "REPLICAS must be 1 or 2"

# port_of <service> [replica]
port_of() {
  local replica=${2:-1}
  case $1 in
    identity) echo $((PORT_BASE + 4 * (replica - 1) + 1)) ;;
    eligibility) echo $((PORT_BASE + 4 * (replica - 1) + 2)) ;;
    enrollment) echo $((PORT_BASE + 4 * (replica - 1) + 3)) ;;
    payout) echo $((PORT_BASE + 4 * (replica - 1) + 4)) ;;
    bank) echo $((PORT_BASE + 9)) ;;
    gateway) echo $((GATEWAY_PORT + replica - 1)) ;;
    *) die "unknown service: $1 (one of ${ALL[*]})" ;;
  esac
}

# urls_of <service>: every replica's base URL, comma-separated (what a gateway spreads that service's calls over).
urls_of() {
  local n urls=()
  for ((n = 1; n <= REPLICAS; n++)); do urls+=("http://localhost:$(port_of "$1" "$n")"); done
  local IFS=,
  echo "${urls[*]}"
}

module_of() {
  case $1 in
    gateway) echo gateway ;;
    bank) echo bank-simulator ;;
    *) echo "$1-service" ;;
  esac
}
replicas_of() { if [[ $1 == bank ]]; then echo 1; else echo "$REPLICAS"; fi; }
# The pid-file name of a replica: e2e-payout, e2e-payout.2 (replica 1 keeps the name it always had).
process_of() { if (($2 == 1)); then echo "${PREFIX}$1"; else echo "${PREFIX}$1.$2"; fi; }
PREFIX=$([[ $INSTANCE == run ]] && echo "" || echo "$INSTANCE-")

ready() { curl -fsS "http://localhost:$(port_of "$1" "$2")/q/health/ready" >/dev/null; }

start_one() {
  local svc=$1 replica=$2 name port jar
  name=$(process_of "$svc" "$replica")
  port=$(port_of "$svc" "$replica")
  jar="$REPO_ROOT/$(module_of "$svc")/target/quarkus-app/quarkus-run.jar"
  if is_running "$name"; then
    log "$svc.$replica already running on port $port (pid $(running_pid "$name"))"
    return 0
  fi
  local runtime=$RUNTIME
  [[ $svc == bank ]] && runtime=jar
  [[ $runtime == image || -f $jar ]] || die "$jar is missing: build first (./mvnw -B -DskipTests package)"
  port_open 127.0.0.1 "$port" && die "port $port is taken by another process; cannot start $svc.$replica"
  local env=(QUARKUS_HTTP_PORT="$port" INCENTIVES_INSTANCE="$INSTANCE")
  # The jars run the prod profile, which logs JSON lines (docs/observability.md). A developer's own run reads its
  # logs by eye, so it keeps the readable format; the e2e instance logs exactly as production does.
  [[ $INSTANCE == run ]] && env+=(QUARKUS_LOG_CONSOLE_JSON_ENABLED=false)
  if [[ $svc == gateway ]]; then
    env+=(
      GATEWAY_SERVICES_IDENTITY_URL="$(urls_of identity)"
      GATEWAY_SERVICES_ELIGIBILITY_URL="$(urls_of eligibility)"
      GATEWAY_SERVICES_ENROLLMENT_URL="$(urls_of enrollment)"
      GATEWAY_SERVICES_PAYOUT_URL="$(urls_of payout)"
      # Local-only secrets; a real deployment takes them from its secret store (see gateway/README.md). Every
      # replica has the same ones, so a session begun on one gateway continues on another.
      GATEWAY_OIDC_CLIENT_SECRET=gateway-secret
      GATEWAY_SESSION_ENCRYPTION_SECRET=local-only-session-encryption-secret-0123456789
      GATEWAY_STATE_SECRET=local-only-state-secret-0123456789abcdef
    )
    # The e2e instance runs with the gateway's own limits, written out here because the tests depend on them: the
    # generated suites pace themselves just under 50 requests/s per client (e2e-tests Gateway), the edge test fires
    # far more than burst 100 at once to be refused.
    [[ $INSTANCE == e2e ]] && env+=(GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND=50 GATEWAY_RATE_LIMIT_BURST=100)
  elif [[ $svc == enrollment ]]; then
    # The notification emails link to the instance's portal: its (first) gateway.
    env+=(PORTAL_URL="http://localhost:$(port_of gateway 1)")
    # Webhooks: a local platform delivers to receivers on this machine (http://localhost), which production refuses;
    # the e2e instance retries within seconds and takes over a killed replica's deliveries after 10 s, so a test sees
    # a receiver's failures retried and a kill mid-delivery repaired.
    env+=(ENROLLMENT_WEBHOOKS_ALLOW_INSECURE_LOCALHOST=true)
    [[ $INSTANCE == e2e ]] && env+=(ENROLLMENT_WEBHOOKS_RETRY_SCHEDULE=PT1S,PT2S,PT2S,PT2S,PT2S,PT2S,PT2S
      ENROLLMENT_WEBHOOKS_LEASE=PT10S)
  elif [[ $svc == bank ]]; then
    # Status reports go back as a bank's connector would send them: to the public API, through the (first) gateway,
    # with the bank-connector client's token from the instance's realm. A report it cannot push stays for the
    # payout-service's poll to pull.
    env+=(BANK_SIMULATOR_CALLBACK_URL="http://localhost:$(port_of gateway 1)/api/v1/bank/status-reports")
    # The e2e instance's bank settles within seconds, so the journey sees a payment PAID (and RETURNED) quickly.
    [[ $INSTANCE == e2e ]] && env+=(BANK_SIMULATOR_SETTLE_AFTER=PT2S BANK_SIMULATOR_RETURN_AFTER=PT4S)
  elif [[ $svc == payout ]]; then
    # The jar runs the prod profile, which has no key of its own and refuses the LOCAL-ONLY one unless told this
    # is a local run.
    env+=(
      PAYOUT_ENCRYPTION_KEY=TE9DQUwtT05MWS1kby1ub3QtdXNlLWluLXByb2QhISE=
      PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY=true
      PAYOUT_BANK_URL="http://localhost:$(port_of bank)"
    )
    [[ $INSTANCE == e2e ]] && env+=(PAYOUT_BANK_SEND_EVERY=2s PAYOUT_BANK_POLL_EVERY=5s)
    # The e2e instance runs payouts one location per transaction with a short lease, so the fault tests can kill
    # payout-service in the middle of a run and watch it resume within seconds.
    if [[ $INSTANCE == e2e ]]; then
      env+=(PAYOUT_RUN_CHUNK_LOCATIONS=1 PAYOUT_RUN_LEASE=PT10S PAYOUT_RUN_JANITOR_EVERY=2s)
    fi
  fi
  if [[ $runtime == image ]]; then
    # As its pod runs it: the Deployment's memory and CPU limits as a cgroup, and the image's own JVM flags
    # (-XX:MaxRAMPercentage=75 of the limit), no heap flags of ours.
    local dir flags=() limits
    dir=$(unpacked_image "$svc")
    limits=$(pod_limits "$(module_of "$svc")")
    local e
    for e in "${env[@]}"; do flags+=(-e "${e%%=*}"); done
    log "starting $svc.$replica on port $port from its image ($(image_digest "$dir")), limits of its pod: $limits"
    local memory cpus
    read -r memory cpus <<<"$limits"
    # Values through the environment, names on the command line: the payout key must not show in ps.
    (export "${env[@]}" && start_detached "$name" "$HERE/container.sh" "$dir" "${flags[@]}" \
      --name "$INSTANCE.$svc.$replica" --memory "${memory%B}" --cpus "${cpus%m}")
  else
    # A developer's machine runs several JVMs side by side: a small heap each.
    log "starting $svc.$replica on port $port"
    start_detached "$name" env "${env[@]}" java -Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError \
      -jar "$jar"
  fi
}

# pod_limits <module>: "<bytes>B <millicores>m", the container limits of the module's Deployment
# (deploy/k8s/base/apps/<module>.yaml, resources.limits; memory in Mi or Gi, cpu in cores or millicores).
pod_limits() {
  local manifest="$REPO_ROOT/deploy/k8s/base/apps/$1.yaml" memory cpu
  memory=$(awk '/^ *limits:/ { on = 1; next } on && /^ *memory:/ { print $2; exit } on && !/^ *(cpu|memory):/ { on = 0 }' "$manifest")
  cpu=$(awk '/^ *limits:/ { on = 1; next } on && /^ *cpu:/ { gsub(/"/, "", $2); print $2; exit } on && !/^ *(cpu|memory):/ { on = 0 }' "$manifest")
  case $memory in
    *Mi) memory=$((${memory%Mi} * 1024 * 1024)) ;;
    *Gi) memory=$((${memory%Gi} * 1024 * 1024 * 1024)) ;;
    *) die "$manifest: memory limit '$memory' is not in Mi or Gi" ;;
  esac
  case $cpu in
    *m) cpu=${cpu%m} ;;
    [0-9]*) cpu=$((cpu * 1000)) ;;
    *) die "$manifest: cpu limit '$cpu' is not in cores or millicores" ;;
  esac
  echo "${memory}B ${cpu}m"
}

# unpacked_image <svc>: the service's image archive unpacked under .local/images/<instance>/ (again when the archive
# is newer), printed as a directory for container.sh. Replicas share it (its root file system is mounted read-only).
unpacked_image() {
  local module archive dir
  module=$(module_of "$1")
  archive="$REPO_ROOT/deploy/target/images/$module.tar"
  dir="$LOCAL_DIR/images/$INSTANCE/$module"
  [[ -f $archive ]] || die "$archive is missing: build the images first (./mvnw -B -ntp -DskipTests package)"
  (($(id -u) == 0)) || die "RUNTIME=image needs root (container.sh uses a mount namespace); use RUNTIME=jar"
  if [[ ! -f $dir/config.sh || $archive -nt $dir/config.sh ]]; then
    rm -rf "$dir"
    java "$HERE/UnpackImage.java" "$archive" "$dir" >&2 || die "could not unpack $archive"
  fi
  echo "$dir"
}

image_digest() { (source "$1/config.sh" && echo "$IMAGE_DIGEST"); }

# Nothing of this instance runs: the moment to make (or re-make) what it owns in the shared infrastructure.
instance_stopped() {
  local svc n
  for svc in "${ALL[@]}"; do
    for ((n = 1; n <= 2; n++)); do is_running "$(process_of "$svc" "$n")" && return 1; done
  done
  return 0
}

do_start() {
  local target
  if instance_stopped; then
    if [[ ${FRESH:-false} == true ]]; then "$HERE/instance.sh" "$INSTANCE" --fresh; else "$HERE/instance.sh" "$INSTANCE"; fi
  fi
  for target in "${TARGETS[@]}"; do start_one ${target/./ }; done
  # Wait for all together: they start in parallel, each in a few seconds.
  for target in "${TARGETS[@]}"; do
    set -- ${target/./ }
    wait_ready "$(process_of "$1" "$2")" 120 "GET /q/health/ready on port $(port_of "$1" "$2")" ready "$1" "$2"
    log "$1.$2 ready on http://localhost:$(port_of "$1" "$2")"
  done
}

do_stop() {
  # All at once: each takes seconds to close its Kafka clients and connections, and none needs another to stop first
  # (the gateways' clients see the services go either way).
  local target pids=() pid rc=0
  for target in "${TARGETS[@]}"; do
    set -- ${target/./ }
    stop_detached "$(process_of "$1" "$2")" 20 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || rc=1
  done
  return $rc
}

do_status() {
  local target rc=0
  for target in "${TARGETS[@]}"; do
    set -- ${target/./ }
    if is_running "$(process_of "$1" "$2")" && ready "$1" "$2"; then
      log "$1.$2 ready on port $(port_of "$1" "$2")"
    elif is_running "$(process_of "$1" "$2")"; then
      log "$1.$2 running on port $(port_of "$1" "$2") but not ready"; rc=1
    else
      log "$1.$2 not running"; rc=1
    fi
  done
  return $rc
}

do_kill() {
  local target name pid port
  for target in "${TARGETS[@]}"; do
    set -- ${target/./ }
    name=$(process_of "$1" "$2")
    port=$(port_of "$1" "$2")
    is_running "$name" || { log "$1.$2 is not running"; continue; }
    pid=$(running_pid "$name")
    log "SIGKILL to $1.$2 (process group $pid)"
    kill -KILL -- "-$pid" 2>/dev/null || true
    # Gone only once the kernel has reaped it and released its port; a start right after must find the port free.
    local _
    for _ in $(seq 100); do
      kill -0 -- "-$pid" 2>/dev/null || port_open 127.0.0.1 "$port" || break
      sleep 0.1
    done
    rm -f "$(pid_file "$name")"
  done
}

# TARGETS: "<service>.<replica>" for every replica the arguments name (all of them by default), gateway last.
action=${1:-}
shift || true
TARGETS=()
(($#)) || set -- "${ALL[@]}"
for arg in "$@"; do
  svc=${arg%%.*}
  port_of "$svc" >/dev/null
  count=$(replicas_of "$svc")
  if [[ $arg == *.* ]]; then
    n=${arg#*.}
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= count)) || die "$arg: replica $n does not exist ($count replicas)"
    TARGETS+=("$svc.$n")
  else
    for ((n = 1; n <= count; n++)); do TARGETS+=("$svc.$n"); done
  fi
done
case $action in
  start) with_lock do_start ;;
  stop) with_lock do_stop ;;
  restart) with_lock do_stop; with_lock do_start ;;
  status) do_status ;;
  kill) do_kill ;;
  *) echo "usage: $0 start|stop|status|restart|kill [${ALL[*]} or <service>.<replica>]" >&2; exit 2 ;;
esac
