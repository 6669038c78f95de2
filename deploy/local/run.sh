#!/usr/bin/env bash
# Builds and runs the whole platform locally: infrastructure, every service, the gateway and demo data.
#
#   deploy/local/run.sh          start everything (a second run finds it running and says so)
#   deploy/local/run.sh restart  rebuild and restart the services and the gateway
#   deploy/local/run.sh stop     stop the services, the gateway and the infrastructure
set -euo pipefail
PART=run
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
HERE="$REPO_ROOT/deploy/local"

build() {
  # The developer's platform runs the jars (services.sh RUNTIME=jar), so the container images are not built here.
  log "building (./mvnw -B -ntp -DskipTests -Dimages.skip=true package; log: $LOG_DIR/build.log)"
  ./mvnw -B -ntp -DskipTests -Dimages.skip=true package >"$LOG_DIR/build.log" 2>&1 || { tail -n 40 "$LOG_DIR/build.log" >&2; die "build failed"; }
}

case "${1:-start}" in
  start)
    t0=$SECONDS
    ./mvnw -v >/dev/null
    "$HERE/infra.sh" start >"$LOG_DIR/run-infra.out" 2>&1 &
    infra=$!
    if INSTANCE=run "$HERE/services.sh" status >/dev/null 2>&1; then
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
