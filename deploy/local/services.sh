#!/usr/bin/env bash
# Our own services and the gateway, run from their built jars (target/quarkus-app), as local processes.
#
#   deploy/local/services.sh start|stop|status|restart [service...]   (default: all, gateway last)
#   deploy/local/services.sh kill <service>                            SIGKILL, for the fault tests
#
# INSTANCE=run (default): ports 8101-8104, gateway 8080, databases <svc>, consumer groups <svc>-service.
# INSTANCE=e2e          : ports 8111-8114, gateway 8090, databases <svc>_e2e, consumer groups <svc>-service-e2e,
#                         so the end-to-end tests can run while a developer's platform is up.
# RUNTIME=jar (default): java -jar on each service's target/quarkus-app.
# RUNTIME=image         : each service's container image (deploy/target/images/<module>.tar), unpacked and run by
#                         container.sh as its pod would run it (read-only root, user 185, tmpfs /tmp). Needs root.
#                         The end-to-end tests use it, so they test the images that ship.
# Build first: ./mvnw -B -DskipTests package (deploy/local/run.sh does it; it skips the images).
set -euo pipefail
INSTANCE=${INSTANCE:-run}
RUNTIME=${RUNTIME:-jar}
PART=services-$INSTANCE
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL=(identity eligibility enrollment payout gateway)

case $INSTANCE in
  run) PORT_BASE=8100; GATEWAY_PORT=8080; DB_SUFFIX=""; GROUP_SUFFIX=""; PREFIX="" ;;
  e2e) PORT_BASE=8110; GATEWAY_PORT=8090; DB_SUFFIX="_e2e"; GROUP_SUFFIX="-e2e"; PREFIX="e2e-" ;;
  *) die "INSTANCE must be run or e2e" ;;
esac

port_of() {
  case $1 in
    identity) echo $((PORT_BASE + 1)) ;;
    eligibility) echo $((PORT_BASE + 2)) ;;
    enrollment) echo $((PORT_BASE + 3)) ;;
    payout) echo $((PORT_BASE + 4)) ;;
    gateway) echo "$GATEWAY_PORT" ;;
    *) die "unknown service: $1 (one of ${ALL[*]})" ;;
  esac
}

module_of() { if [[ $1 == gateway ]]; then echo gateway; else echo "$1-service"; fi; }

ready() { curl -fsS "http://localhost:$(port_of "$1")/q/health/ready" >/dev/null; }

start_one() {
  local svc=$1 name="$PREFIX$1" port jar
  port=$(port_of "$svc")
  jar="$REPO_ROOT/$(module_of "$svc")/target/quarkus-app/quarkus-run.jar"
  if is_running "$name"; then
    log "$svc already running on port $port (pid $(running_pid "$name"))"
    return 0
  fi
  [[ $RUNTIME == image || -f $jar ]] || die "$jar is missing: build first (./mvnw -B -DskipTests package)"
  port_open 127.0.0.1 "$port" && die "port $port is taken by another process; cannot start $svc"
  local env=(QUARKUS_HTTP_PORT="$port")
  # The jars run the prod profile, which logs JSON lines (docs/observability.md). A developer's own run reads its
  # logs by eye, so it keeps the readable format; the e2e instance logs exactly as production does.
  [[ $INSTANCE == run ]] && env+=(QUARKUS_LOG_CONSOLE_JSON_ENABLED=false)
  if [[ $svc == gateway ]]; then
    env+=(
      GATEWAY_SERVICES_IDENTITY_URL="http://localhost:$(port_of identity)"
      GATEWAY_SERVICES_ELIGIBILITY_URL="http://localhost:$(port_of eligibility)"
      GATEWAY_SERVICES_ENROLLMENT_URL="http://localhost:$(port_of enrollment)"
      GATEWAY_SERVICES_PAYOUT_URL="http://localhost:$(port_of payout)"
      # Local-only secrets; a real deployment takes them from its secret store (see gateway/README.md).
      GATEWAY_OIDC_CLIENT_SECRET=gateway-secret
      GATEWAY_SESSION_ENCRYPTION_SECRET=local-only-session-encryption-secret-0123456789
      GATEWAY_STATE_SECRET=local-only-state-secret-0123456789abcdef
    )
    # The e2e instance limits each client to 20 requests/s (burst 40) instead of 50 (burst 100), so the edge test can
    # exceed it even on a busy 2-core machine; the generated suites pace themselves under it (e2e-tests Gateway).
    [[ $INSTANCE == e2e ]] && env+=(GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND=20 GATEWAY_RATE_LIMIT_BURST=40)
  else
    env+=(
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$svc$DB_SUFFIX"
      INCENTIVES_CONSUMER_GROUP="$svc-service$GROUP_SUFFIX"
    )
    if [[ $svc == payout ]]; then
      # The jar runs the prod profile, which has no key of its own and refuses the LOCAL-ONLY one unless told this
      # is a local run. Same key as before, so account numbers already in the local databases stay readable.
      env+=(
        PAYOUT_ENCRYPTION_KEY=TE9DQUwtT05MWS1kby1ub3QtdXNlLWluLXByb2QhISE=
        PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY=true
      )
    fi
    # The e2e instance runs payouts one location per transaction with a short lease, so the fault tests can kill
    # payout-service in the middle of a run and watch it resume within seconds.
    if [[ $svc == payout && $INSTANCE == e2e ]]; then
      env+=(PAYOUT_RUN_CHUNK_LOCATIONS=1 PAYOUT_RUN_LEASE=PT10S PAYOUT_RUN_JANITOR_EVERY=2s)
    fi
  fi
  # The same heap for both runtimes: several JVMs share a developer's machine.
  local jvm=(-Xms64m -Xmx256m -XX:+UseSerialGC)
  if [[ $RUNTIME == image ]]; then
    local dir volumes=() flags=()
    dir=$(unpacked_image "$svc")
    if [[ $svc == payout ]]; then
      # The Deployment mounts a volume here (PAYOUT_BANK_DIRECTORY); locally, a directory the service's user owns,
      # with all in it: a run of the jars (as root) may have made subdirectories the image's user could not write.
      mkdir -p "$LOCAL_DIR/payout-bank"
      chown -R "$(image_user "$dir")" "$LOCAL_DIR/payout-bank"
      volumes+=(-v "$LOCAL_DIR/payout-bank:/var/lib/payout-bank")
      env+=(PAYOUT_BANK_DIRECTORY=/var/lib/payout-bank)
    fi
    env+=("JAVA_TOOL_OPTIONS=${jvm[*]}")
    local e
    for e in "${env[@]}"; do flags+=(-e "${e%%=*}"); done
    log "starting $svc on port $port from its image ($(image_digest "$dir"))"
    # Values through the environment, names on the command line: the payout key must not show in ps.
    (export "${env[@]}" && start_detached "$name" "$REPO_ROOT/deploy/local/container.sh" "$dir" "${volumes[@]}" \
      "${flags[@]}")
  else
    log "starting $svc on port $port"
    start_detached "$name" env "${env[@]}" java "${jvm[@]}" -XX:+ExitOnOutOfMemoryError -jar "$jar"
  fi
}

# unpacked_image <svc>: the service's image archive unpacked under .local/images/<instance>/ (again when the archive
# is newer), printed as a directory for container.sh.
unpacked_image() {
  local module archive dir
  module=$(module_of "$1")
  archive="$REPO_ROOT/deploy/target/images/$module.tar"
  dir="$LOCAL_DIR/images/$INSTANCE/$module"
  [[ -f $archive ]] || die "$archive is missing: build the images first (./mvnw -B -ntp -DskipTests package)"
  (($(id -u) == 0)) || die "RUNTIME=image needs root (container.sh uses a mount namespace); use RUNTIME=jar"
  if [[ ! -f $dir/config.sh || $archive -nt $dir/config.sh ]]; then
    rm -rf "$dir"
    java "$REPO_ROOT/deploy/local/UnpackImage.java" "$archive" "$dir" >&2 || die "could not unpack $archive"
  fi
  echo "$dir"
}

image_user() { (source "$1/config.sh" && echo "${IMAGE_USER%%:*}:${IMAGE_USER#*:}"); }
image_digest() { (source "$1/config.sh" && echo "$IMAGE_DIGEST"); }

do_start() {
  local svc
  for svc in "${SERVICES[@]}"; do start_one "$svc"; done
  # Wait for all together: they start in parallel, each in a few seconds.
  for svc in "${SERVICES[@]}"; do
    wait_ready "$PREFIX$svc" 120 "GET /q/health/ready on port $(port_of "$svc")" ready "$svc"
    log "$svc ready on http://localhost:$(port_of "$svc")"
  done
}

do_stop() {
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do stop_detached "$PREFIX${SERVICES[i]}" 20; done
}

do_status() {
  local svc rc=0
  for svc in "${SERVICES[@]}"; do
    if is_running "$PREFIX$svc" && ready "$svc"; then
      log "$svc ready on port $(port_of "$svc")"
    elif is_running "$PREFIX$svc"; then
      log "$svc running on port $(port_of "$svc") but not ready"; rc=1
    else
      log "$svc not running"; rc=1
    fi
  done
  return $rc
}

do_kill() {
  local svc pid
  for svc in "${SERVICES[@]}"; do
    is_running "$PREFIX$svc" || { log "$svc is not running"; continue; }
    pid=$(running_pid "$PREFIX$svc")
    log "SIGKILL to $svc (process group $pid)"
    kill -KILL -- "-$pid" 2>/dev/null || true
    # Gone only once the kernel has reaped it and released its port; a start right after must find the port free.
    local _
    for _ in $(seq 100); do
      kill -0 -- "-$pid" 2>/dev/null || port_open 127.0.0.1 "$(port_of "$svc")" || break
      sleep 0.1
    done
    rm -f "$(pid_file "$PREFIX$svc")"
  done
}

action=${1:-}
shift || true
if (($#)); then SERVICES=("$@"); else SERVICES=("${ALL[@]}"); fi
for svc in "${SERVICES[@]}"; do port_of "$svc" >/dev/null; done
case $action in
  start) with_lock do_start ;;
  stop) with_lock do_stop ;;
  restart) with_lock do_stop; with_lock do_start ;;
  status) do_status ;;
  kill) do_kill ;;
  *) echo "usage: $0 start|stop|status|restart|kill [${ALL[*]}]" >&2; exit 2 ;;
esac
