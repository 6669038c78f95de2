#!/usr/bin/env bash
# Builds and runs the whole platform locally: infrastructure, every service, the gateway and demo data, as the
# instance "run" (realm incentives-run, topics run.*, databases <service>_run: docs/conventions.md, "Instances"), so
# the tests (deploy/local/test.sh) can run at the same time without touching it.
#
#   deploy/local/run.sh          start everything (a second run finds it running and says so)
#   deploy/local/run.sh restart  rebuild and restart the services and the gateway
#   deploy/local/run.sh stop     stop the services, the gateway and the infrastructure
#
# A start that fails stops what it started (the services, and the infrastructure if it was not running before), so
# nothing half-started is left behind.
set -euo pipefail
PART=run
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
HERE="$REPO_ROOT/deploy/local"
INFRA_PARTS=(kafka keycloak smtp)

build() {
  # The developer's platform runs the jars (services.sh RUNTIME=jar), so the container images are not built here.
  log "building (./mvnw -B -ntp -DskipTests -Dimages.skip=true package; log: $LOG_DIR/build.log)"
  clean_shared_libraries
  ./mvnw -B -ntp -DskipTests -Dimages.skip=true package >"$LOG_DIR/build.log" 2>&1 || { tail -n 40 "$LOG_DIR/build.log" >&2; die "build failed"; }
}

# What was running before this start, so a failure stops only what this start began.
services_were_running=false
infra_was_running=()
note_running() {
  local part
  INSTANCE=run "$HERE/services.sh" status >/dev/null 2>&1 && services_were_running=true
  for part in "${INFRA_PARTS[@]}"; do
    "$HERE/$part.sh" status >/dev/null 2>&1 && infra_was_running+=("$part")
  done
  return 0
}

stop_what_we_started() {
  local status=$? part
  ((status == 0)) && return 0
  trap - EXIT
  log "the start failed: stopping what it started"
  # An infrastructure start still under way finishes first: stopping parts while they start would leave strays.
  [[ -n ${infra:-} ]] && { wait "$infra" 2>/dev/null || true; }
  $services_were_running || INSTANCE=run "$HERE/services.sh" stop >&2 || true
  for part in "${INFRA_PARTS[@]}"; do
    [[ " ${infra_was_running[*]} " == *" $part "* ]] || "$HERE/$part.sh" stop >&2 || true
  done
  exit "$status"
}

case "${1:-start}" in
  start)
    t0=$SECONDS
    ./mvnw -v >/dev/null
    note_running
    trap stop_what_we_started EXIT
    "$HERE/infra.sh" start >"$LOG_DIR/run-infra.out" 2>&1 &
    infra=$!
    if $services_were_running; then
      log "services already running (use '$0 restart' to rebuild them)"
    else
      build
    fi
    wait "$infra" || { cat "$LOG_DIR/run-infra.out" >&2; die "the infrastructure did not start"; }
    INSTANCE=run "$HERE/services.sh" start
    "$HERE/demo-data.sh"
    log "up in $((SECONDS - t0)) s"
    ;;
  restart)
    INSTANCE=run "$HERE/services.sh" stop
    build
    "$HERE/infra.sh" start
    INSTANCE=run "$HERE/services.sh" start
    "$HERE/demo-data.sh"
    ;;
  stop)
    INSTANCE=run "$HERE/services.sh" stop
    "$HERE/infra.sh" stop
    ;;
  *) echo "usage: $0 [start|restart|stop]" >&2; exit 2 ;;
esac
