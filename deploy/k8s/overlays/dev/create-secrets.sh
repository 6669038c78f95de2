#!/usr/bin/env bash
# Creates the Secrets the dev overlay references, with random values, straight in the cluster (nothing on disk).
# Run once per namespace, before `kubectl apply -k deploy/k8s/overlays/dev`; running it again keeps existing ones
# (the Keycloak realm was imported with them). The database Secrets (<svc>-db-app) are made by CloudNativePG.
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
