#!/usr/bin/env bash
# Keycloak 26.7.3 in dev mode (start-dev: HTTP, H2 file database) from the Maven distribution, with the
# realm deploy/keycloak/incentives-realm.json imported.
#
#   deploy/local/keycloak.sh start|stop|status|restart
#
# Issuer: http://localhost:8180/realms/incentives   admin console: http://localhost:8180/admin (admin/admin)
# Always use "localhost", never 127.0.0.1: Keycloak takes the token issuer from the request's host, and
# a service configured with the other spelling rejects every token.
set -euo pipefail
PART=keycloak
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HTTP_PORT=8180
REALM=incentives
REALM_FILE="$REPO_ROOT/deploy/keycloak/incentives-realm.json"
READY_URL="http://localhost:$HTTP_PORT/realms/$REALM/.well-known/openid-configuration"
# The first start also runs Keycloak's own build step (~35 s); two cores shared with Kafka and Maven.
READY_TIMEOUT=${KEYCLOAK_READY_TIMEOUT:-300}
# Hash of the realm file that the H2 database was last imported from. Kept inside the dist, next to the
# database it describes, so deleting the dist also forgets it.
REALM_SHA_FILE="$KEYCLOAK_HOME/data/import/.imported-realm.sha256"

realm_sha() { sha256sum "$REALM_FILE" | cut -d' ' -f1; }
realm_changed() { [[ ! -f $REALM_SHA_FILE || $(<"$REALM_SHA_FILE") != "$(realm_sha)" ]]; }
realm_ready() { curl -sf -o /dev/null --max-time 5 "$READY_URL"; }

do_start() {
  [[ -f $REALM_FILE ]] || die "missing $REALM_FILE"
  if is_running keycloak; then
    log "already running (pid $(running_pid keycloak)) on http://localhost:$HTTP_PORT"
    realm_changed && log "WARNING: $REALM_FILE changed since it was imported: run '$0 restart' to re-import"
    return 0
  fi
  port_open 127.0.0.1 "$HTTP_PORT" && die "port $HTTP_PORT is taken by a process this script did not start (see: ss -ltnp)"
  resolve_tools keycloak

  mkdir -p "$KEYCLOAK_HOME/data/import"
  if realm_changed; then
    # --import-realm skips a realm that already exists, so a changed file only takes effect on an empty
    # database. The dev database holds nothing else we keep (the admin user is re-created from env).
    log "realm file is new or changed: wiping Keycloak's dev database so it is imported again"
    rm -rf "$KEYCLOAK_HOME/data/h2" "$REALM_SHA_FILE"
  fi
  cp "$REALM_FILE" "$KEYCLOAK_HOME/data/import/$REALM-realm.json"

  log "starting (log: $(log_file keycloak))"
  # Without an explicit heap kc.sh allows 512 MB; start-dev with the import needs a bit more head room.
  # The bootstrap admin is only created when the master realm is empty (first start, or after a wipe).
  start_detached keycloak env \
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    JAVA_OPTS_KC_HEAP="-Xms128m -Xmx768m" \
    "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-port "$HTTP_PORT" --import-realm
  wait_ready keycloak "$READY_TIMEOUT" "$READY_URL answering 200" realm_ready
  realm_sha >"$REALM_SHA_FILE"
  log "ready: issuer http://localhost:$HTTP_PORT/realms/$REALM"
}

do_stop() {
  # kc.sh stays the parent of the JVM (it relaunches Java after an automatic re-build): stop the group.
  stop_detached keycloak 30
}

do_status() {
  if is_running keycloak && realm_ready; then
    log "running (pid $(running_pid keycloak)), realm '$REALM' served on http://localhost:$HTTP_PORT"
    realm_changed && log "WARNING: $REALM_FILE changed since it was imported: run '$0 restart' to re-import"
    return 0
  elif is_running keycloak; then
    log "process running (pid $(running_pid keycloak)) but $READY_URL does not answer yet; see $(log_file keycloak)"
    exit 1
  else
    log "not running"
    exit 3
  fi
}

dispatch "$@"
