#!/usr/bin/env bash
# Runs every test of the platform against the real PostgreSQL, Kafka, Keycloak and SMTP server.
#
#   deploy/local/test.sh [extra Maven arguments, e.g. -pl identity-service -am]
#
# Starts the infrastructure (deploy/local/infra.sh) while Maven compiles, then runs `./mvnw verify`: every module's
# @QuarkusTest suites, the deploy module's checks of the manifests and of the container images it builds, then the
# end-to-end tests, which start the services and the gateway from those images (INSTANCE=e2e RUNTIME=image
# deploy/local/services.sh; -De2e.runtime=jar starts the jars where root is not available). The infrastructure is left
# running for the next run. The tests are the instances "test" and "e2e" (docs/conventions.md, "Instances"): a
# developer's platform (run.sh, instance "run") may stay up meanwhile, and its databases are checked to be untouched.
set -euo pipefail
PART=test
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

t0=$SECONDS
# The portal's browser tests (e2e-tests, portal/): Debian's Chromium and its driver, and CJK fonts (without them
# Japanese and Korean render as empty boxes in the screenshots). Before the infrastructure, which may apt-get too.
need_debian_packages chromium chromium-driver fonts-noto-cjk
./mvnw -v >/dev/null # fetch the wrapper's Maven once, before two Maven runs could race for it
clean_shared_libraries
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
# The module tests' instance: its realm made again if the realm file changed (nothing runs on it between test runs).
"$REPO_ROOT/deploy/local/instance.sh" test >>"$LOG_DIR/test-infra.out" 2>&1 ||
  { cat "$LOG_DIR/test-infra.out" >&2; die "could not make the test instance's realm, topics and databases"; }
log "infrastructure ready after $((SECONDS - t0)) s; running the tests"
# The tests run as the instances test and e2e; a developer's platform (instance run) may be up meanwhile and must come
# out untouched: its databases' row counts are taken before and after, and no table may have gained a row (a loss is
# its own housekeeping: old idempotency records and consumed-event ids are purged hourly).
rows_before="$LOG_DIR/run-instance-rows.before"
"$REPO_ROOT/deploy/local/row-counts.sh" run >"$rows_before"
# The front end (TypeScript client, portal) was built by the test-compile above, from the same sources: verify runs its
# tests but does not install and build it a second time (frontend.prebuilt, pom.xml).
./mvnw -B -ntp verify -Dfrontend.prebuilt=true "$@"
"$REPO_ROOT/deploy/local/row-counts.sh" run >"$LOG_DIR/run-instance-rows.after"
if ! gained=$(awk 'NR == FNR { before[$1] = $2; next } $2 > before[$1] + 0 { print $1 ": " before[$1] + 0 " -> " $2; bad = 1 }
                  END { exit bad }' "$rows_before" "$LOG_DIR/run-instance-rows.after"); then
  echo "$gained" >&2
  die "tables of the run instance's databases gained rows while the tests ran (above): a test wrote into the" \
    "developer's platform, or someone used it meanwhile"
fi
log "the run instance's databases: $(wc -l <"$rows_before") tables, row counts unchanged by the tests"
log "all tests passed in $((SECONDS - t0)) s"
