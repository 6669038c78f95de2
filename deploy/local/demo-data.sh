#!/usr/bin/env bash
# Demo data for a local run, through the public API (gateway on :8080) as an operator would enter it, plus demo
# sign-ins with known passwords. Idempotent: a second run finds the demo organization and leaves it.
#
# The demo users get permanent passwords set through Keycloak's admin API (master admin): a convenience of the local
# demo only. Real users are created by identity-service with a temporary password they must change.
set -euo pipefail
PART=demo
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_package jq jq

GATEWAY=${GATEWAY:-http://localhost:8080}
KEYCLOAK=${KEYCLOAK:-http://localhost:8180}
DEMO_PARTNER_ID=${DEMO_PARTNER_ID:-4100001}
ORG_FILE="$RUN_DIR/demo-organization-id"

token() { # <username> <password>
  curl -fsS -d grant_type=password -d client_id=incentives-cli -d "username=$1" -d "password=$2" \
    "$KEYCLOAK/realms/incentives-run/protocol/openid-connect/token" | jq -r .access_token
}

api() { # <method> <path> [json body]
  local args=(-sS -o "$RUN_DIR/demo-response.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $OPERATOR_TOKEN")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' -d "$3")
  curl "${args[@]}" "$GATEWAY/api/v1$2"
}

OPERATOR_TOKEN=$(token operator Operator-Demo-1) || die "the operator cannot sign in: is Keycloak up?"

org_id=""
if [[ -s $ORG_FILE ]] && [[ $(api GET "/organizations/$(<"$ORG_FILE")") == 200 ]]; then
  org_id=$(<"$ORG_FILE")
  log "demo organization exists: $org_id"
else
  status=$(api POST /organizations '{"name":"Contoso Ltd","primaryContact":{"email":"admin@contoso.example","firstName":"Casey","lastName":"Contoso"}}')
  [[ $status == 201 ]] || die "registering the demo organization answered $status: $(cat "$RUN_DIR/demo-response.json")"
  org_id=$(jq -r .id "$RUN_DIR/demo-response.json")
  echo "$org_id" >"$ORG_FILE"
  log "registered demo organization Contoso Ltd: $org_id"
  status=$(api POST "/organizations/$org_id/locations" \
    "{\"partnerId\":\"$DEMO_PARTNER_ID\",\"name\":\"Contoso Seattle\",\"country\":\"US\",\"partnerType\":\"DIRECT_BILL\"}")
  case $status in
    201) log "added location $DEMO_PARTNER_ID" ;;
    409) log "partner ID $DEMO_PARTNER_ID already registered (from an earlier demo database)" ;;
    *) die "adding the demo location answered $status: $(cat "$RUN_DIR/demo-response.json")" ;;
  esac
fi

# Demo sign-ins. The organization's users are made through identity-service like real ones (the primary contact by
# the registration, the others by the global admin); only their passwords are then set to known, permanent values
# through Keycloak's admin API, a convenience of the local demo.
ADMIN_TOKEN=$(curl -fsS -d grant_type=password -d client_id=admin-cli -d username=admin -d password=admin \
  "$KEYCLOAK/realms/master/protocol/openid-connect/token" | jq -r .access_token)
set_password() { # <email> <password>
  local id
  id=$(curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" \
    "$KEYCLOAK/admin/realms/incentives-run/users?exact=true&username=$1" | jq -r '.[0].id // empty')
  [[ -n $id ]] || die "demo user $1 is not in Keycloak"
  curl -fsS -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"type\":\"password\",\"value\":\"$2\",\"temporary\":false}" \
    "$KEYCLOAK/admin/realms/incentives-run/users/$id/reset-password"
}
create_user() { # <email> <first> <last> <roles json> <locations json>
  local status
  status=$(curl -sS -o "$RUN_DIR/demo-response.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $GLOBAL_ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"firstName\":\"$2\",\"lastName\":\"$3\",\"roles\":$4,\"locations\":$5}" \
    "$GATEWAY/api/v1/organizations/$org_id/users")
  case $status in
    201) log "created $1" ;;
    409) log "$1 exists already" ;;
    *) die "creating $1 answered $status: $(cat "$RUN_DIR/demo-response.json")" ;;
  esac
}
set_password admin@contoso.example Contoso-Admin-1
GLOBAL_ADMIN_TOKEN=$(token admin@contoso.example Contoso-Admin-1) || die "the demo global admin cannot sign in"
create_user incentives@contoso.example Ines Incentive '["INCENTIVE_ADMIN"]' '[]'
create_user user@contoso.example Uma User '["INCENTIVE_USER"]' "[\"$DEMO_PARTNER_ID\"]"
set_password incentives@contoso.example Contoso-Incentives-1
set_password user@contoso.example Contoso-User-1

cat >&2 <<MSG

  Partner Incentives is running.
    Partner portal (sign in with a browser): $GATEWAY/     API: $GATEWAY/api/v1/...
    Swagger UI per service: http://localhost:8101/q/swagger-ui (identity), :8102 eligibility, :8103 enrollment, :8104 payout
    Keycloak admin console: $KEYCLOAK/admin  (admin / admin)      Mail (GreenMail API): http://localhost:8025/api

  Demo accounts (realm incentives-run):
    operator                   / Operator-Demo-1        PROGRAM_OPERATOR
    admin@contoso.example      / Contoso-Admin-1        GLOBAL_ADMIN of Contoso Ltd ($org_id)
    incentives@contoso.example / Contoso-Incentives-1   INCENTIVE_ADMIN of Contoso Ltd
    user@contoso.example       / Contoso-User-1         INCENTIVE_USER of Contoso Ltd, location $DEMO_PARTNER_ID

  Try it:
    TOKEN=\$(curl -s -d grant_type=password -d client_id=incentives-cli -d username=admin@contoso.example \\
            -d password=Contoso-Admin-1 $KEYCLOAK/realms/incentives-run/protocol/openid-connect/token | jq -r .access_token)
    curl -H "Authorization: Bearer \$TOKEN" $GATEWAY/api/v1/me

MSG
