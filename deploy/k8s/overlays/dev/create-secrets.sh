#!/usr/bin/env bash
# Creates the Secrets the dev overlay references, with random values, straight in the cluster (nothing on disk).
# Run once per namespace, before `kubectl apply -k deploy/k8s/overlays/dev`; running it again keeps existing ones
# (the Keycloak realm was imported with them). The database owners' Secrets (<svc>-db-app) are made by CloudNativePG;
# the login roles' Secrets (<cluster>-login-blue/-green) here, as CloudNativePG's managed roles read them.
#   deploy/k8s/overlays/dev/create-secrets.sh [namespace]
set -euo pipefail
NS=${1:-incentives-dev}
rand() { head -c 48 /dev/urandom | base64 | tr -d '/+=\n' | head -c "${1:-40}"; }

kubectl get namespace "$NS" >/dev/null 2>&1 || kubectl create namespace "$NS"

create() { # name key=value...
  local name=$1; shift
  if kubectl -n "$NS" get secret "$name" >/dev/null 2>&1; then
    echo "secret $name exists, kept"
    return
  fi
  local args=()
  for kv in "$@"; do args+=(--from-literal="$kv"); done
  kubectl -n "$NS" create secret generic "$name" "${args[@]}" >/dev/null
  echo "secret $name created"
}

create gateway-secrets oidc-client-secret="$(rand)" session-encryption-secret="$(rand 48)" state-secret="$(rand 48)"
create identity-keycloak-client client-secret="$(rand)"
create keycloak-client-secrets incentives-api="$(rand)" partner-feed="$(rand)" billing-system="$(rand)" \
  bank-connector="$(rand)"
create payout-encryption key="$(head -c 32 /dev/urandom | base64)"
# The dev object store's credentials (backup-network.yaml): start MinIO with MINIO_ROOT_USER / MINIO_ROOT_PASSWORD
# taken from this Secret (env valueFrom secretKeyRef), so the PostgreSQL Clusters and MinIO agree.
create postgres-backup-s3 ACCESS_KEY_ID="backup-$(rand 8)" ACCESS_SECRET_KEY="$(rand)"
# The database login roles (postgres/clusters.yaml): basic-auth Secrets whose username is the role, labelled so that
# CloudNativePG applies a changed password at once (README.md, "Rotating database passwords").
create_login() { # secret role
  if kubectl -n "$NS" get secret "$1" >/dev/null 2>&1; then
    echo "secret $1 exists, kept"
    return
  fi
  kubectl -n "$NS" create secret generic "$1" --type=kubernetes.io/basic-auth \
    --from-literal=username="$2" --from-literal=password="$(rand)" >/dev/null
  kubectl -n "$NS" label secret "$1" cnpg.io/reload=true >/dev/null
  echo "secret $1 created"
}
create_login identity-db-login-blue identity_blue
create_login identity-db-login-green identity_green
create_login eligibility-db-login-blue eligibility_blue
create_login eligibility-db-login-green eligibility_green
create_login enrollment-db-login-blue enrollment_blue
create_login enrollment-db-login-green enrollment_green
create_login payout-db-login-blue payout_blue
create_login payout-db-login-green payout_green
create_login keycloak-db-login-blue keycloak_blue
create_login keycloak-db-login-green keycloak_green
