#!/usr/bin/env bash
# Keycloak 26.7.3 in dev mode (start-dev: HTTP, H2 file database; the preview feature client-secret-rotation, which
# keeps an API client's rotated secret valid for a grace period) from the Maven distribution, with one realm per
# instance of the platform (incentives-<instance>, made from deploy/keycloak/incentives-realm.json).
#
#   deploy/local/keycloak.sh start|stop|status|restart   (start also makes the realms of run, test and e2e)
#   deploy/local/keycloak.sh realm <instance>            make the instance's realm if missing or made from an older
#                                                         realm file; prints the realm's id (new at every re-creation)
#
# Issuer: http://localhost:8180/realms/incentives-<instance>   admin console: http://localhost:8180/admin (admin/admin)
# Always use "localhost", never 127.0.0.1: Keycloak takes the token issuer from the request's host, and
# a service configured with the other spelling rejects every token.
set -euo pipefail
PART=keycloak
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HTTP_PORT=8180
KC_URL="http://localhost:$HTTP_PORT"
REALM_FILE="$REPO_ROOT/deploy/keycloak/incentives-realm.json"
READY_URL="$KC_URL/realms/master/.well-known/openid-configuration"
# The first start also runs Keycloak's own build step (~35 s); two cores shared with Kafka and Maven.
READY_TIMEOUT=${KEYCLOAK_READY_TIMEOUT:-300}

realm_sha() { sha256sum "$REALM_FILE" | cut -d' ' -f1; }
server_ready() { curl -sf -o /dev/null --max-time 5 "$READY_URL"; }

admin_token() {
  curl -fsS --max-time 30 -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
    "$KC_URL/realms/master/protocol/openid-connect/token" | jq -r .access_token
}

# ensure_realm <instance> [--keep-outdated]: realms are made through the admin API from the realm file, with the file's
# hash kept as a realm attribute. A realm made from an older file is deleted and made again (its users with it), so a
# changed file takes effect without wiping Keycloak; --keep-outdated only warns (for an instance that may be running). Prints the realm's id, which Keycloak draws anew at every creation: the
# instance's databases are stamped with it (services.sh), so they are reset when the users they refer to are gone.
ensure_realm() {
  local instance=$1 keep_outdated=${2:-} realm="incentives-$1" sha token status answer="$RUN_DIR/realm-$1.json"
  check_instance "$instance"
  need_package jq jq
  sha=$(realm_sha)
  token=$(admin_token) || die "cannot sign in to Keycloak's master realm as admin (is Keycloak running?)"
  status=$(curl -sS -o "$answer" -w '%{http_code}' -H "Authorization: Bearer $token" "$KC_URL/admin/realms/$realm")
  if [[ $status == 200 && $(jq -r '.attributes.incentivesRealmFileSha256 // empty' "$answer") == "$sha" ]]; then
    jq -r .id "$answer"
    return 0
  fi
  if [[ $status == 200 && $keep_outdated == --keep-outdated ]]; then
    log "realm $realm was made from an older realm file: it is made again when instance $instance next starts"
    jq -r .id "$answer"
    return 0
  elif [[ $status == 200 ]]; then
    log "realm $realm was made from an older realm file: making it again (its users are gone)"
    curl -fsS -X DELETE -H "Authorization: Bearer $token" "$KC_URL/admin/realms/$realm" ||
      die "could not delete realm $realm"
  elif [[ $status != 404 ]]; then
    die "reading realm $realm answered $status: $(cat "$answer")"
  fi
  log "making realm $realm from $(basename "$REALM_FILE")"
  jq --arg realm "$realm" --arg sha "$sha" \
    '.realm = $realm | .attributes = ((.attributes // {}) + {incentivesRealmFileSha256: $sha})' "$REALM_FILE" |
    curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' --data-binary @- \
      "$KC_URL/admin/realms" >/dev/null || die "could not make realm $realm"
  curl -fsS -H "Authorization: Bearer $token" "$KC_URL/admin/realms/$realm" | jq -r .id
}

do_start() {
  [[ -f $REALM_FILE ]] || die "missing $REALM_FILE"
  local instance
  if is_running keycloak; then
    log "already running (pid $(running_pid keycloak)) on $KC_URL"
  else
    port_open 127.0.0.1 "$HTTP_PORT" && die "port $HTTP_PORT is taken by a process this script did not start (see: ss -ltnp)"
    resolve_tools keycloak
    log "starting (log: $(log_file keycloak))"
    # Without an explicit heap kc.sh allows 512 MB; start-dev with several realms needs a bit more head room.
    # The bootstrap admin is only created when the master realm is empty (first start).
    start_detached keycloak env \
      KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
      JAVA_OPTS_KC_HEAP="-Xms128m -Xmx768m" \
      "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-port "$HTTP_PORT" --features=client-secret-rotation
    wait_ready keycloak "$READY_TIMEOUT" "$READY_URL answering 200" server_ready
  fi
  # Missing realms only: an instance may be running on its realm now; an outdated one is made again by instance.sh,
  # when that instance starts.
  for instance in "${STANDARD_INSTANCES[@]}"; do ensure_realm "$instance" --keep-outdated >/dev/null; done
  log "ready on $KC_URL with the realms of the instances ${STANDARD_INSTANCES[*]} (incentives-<instance>)"
}

do_stop() {
  # kc.sh stays the parent of the JVM (it relaunches Java after an automatic re-build): stop the group.
  stop_detached keycloak 30
}

do_status() {
  if is_running keycloak && server_ready; then
    log "running (pid $(running_pid keycloak)) on $KC_URL"
    return 0
  elif is_running keycloak; then
    log "process running (pid $(running_pid keycloak)) but $READY_URL does not answer yet; see $(log_file keycloak)"
    exit 1
  else
    log "not running"
    exit 3
  fi
}

if [[ ${1:-} == realm ]]; then
  [[ -n ${2:-} ]] || die "usage: $0 realm <instance>"
  server_ready || die "Keycloak is not running: start it first (deploy/local/infra.sh start)"
  with_lock ensure_realm "$2"
  exit 0
fi
dispatch "$@"
