#!/usr/bin/env bash
# Runs every test of the platform against the real PostgreSQL, Kafka, Keycloak and SMTP server.
#
#   deploy/local/test.sh [extra Maven arguments, e.g. -pl identity-service -am]
#
# Starts the infrastructure (deploy/local/infra.sh) while Maven compiles, then runs `./mvnw verify`: every module's
# @QuarkusTest suites, the deploy module's checks of the manifests and of the container images it builds, then the
# end-to-end tests, which start the services and the gateway from those images (INSTANCE=e2e RUNTIME=image
# deploy/local/services.sh; -De2e.runtime=jar starts the jars where root is not available). The infrastructure is left
# running for the next run.
set -euo pipefail
PART=test
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

t0=$SECONDS
./mvnw -v >/dev/null # fetch the wrapper's Maven once, before two Maven runs could race for it
"$REPO_ROOT/deploy/local/infra.sh" start >"$LOG_DIR/test-infra.out" 2>&1 &
infra=$!
log "infrastructure starting in the background (log: $LOG_DIR/test-infra.out); compiling"
if ! ./mvnw -B -ntp test-compile "$@"; then
  wait "$infra" || true
  die "compilation failed"
fi
if ! wait "$infra"; then
  cat "$LOG_DIR/test-infra.out" >&2
  die "the infrastructure did not start (details above)"
fi
log "infrastructure ready after $((SECONDS - t0)) s; running the tests"
./mvnw -B -ntp verify "$@"
log "all tests passed in $((SECONDS - t0)) s"
