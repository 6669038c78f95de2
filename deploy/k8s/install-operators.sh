#!/usr/bin/env bash
# Installs on the cluster kubectl points at the operators deploy/k8s needs, at the versions of versions.env (exact
# release URLs, none that moves), and waits until each one runs. Once per cluster, and after a change of versions.env.
#
#   deploy/k8s/install-operators.sh [namespace]    # the platform's namespace: incentives (default; the production
#                                                  # overlay), incentives-dev for the dev overlay
#
# What it installs (README.md, "Deploying, step by step", step 1):
#   CloudNativePG      namespace cnpg-system, watching every namespace
#   Strimzi            namespace strimzi, watching only the platform's namespace, its NetworkPolicy generation off
#                      (network/operators.yaml holds every policy its pods get)
#   Keycloak operator  in the platform's namespace (it watches the namespace it runs in), with its CRDs
#   Prometheus Operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule), only where the cluster has none yet
#                      (a kube-prometheus-stack already brings its own)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"
NS="${1:-incentives}"
STRIMZI_NS=strimzi
TIMEOUT=5m

log() { printf '%s [operators] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
namespace() { kubectl create namespace "$1" --dry-run=client -o yaml | kubectl apply -f - >/dev/null; }
# The release file at a URL, fetched once, so a failed download stops here instead of applying half a file.
fetch() { curl -fsSL --retry 3 "$1"; }

namespace "$NS"
namespace "$STRIMZI_NS"

# CloudNativePG: the release manifest of the exact version, applied server-side as its documentation says (its CRDs
# are too large for the annotation a client-side apply keeps).
log "CloudNativePG $CNPG_VERSION"
fetch "https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-${CNPG_VERSION%.*}/releases/cnpg-${CNPG_VERSION}.yaml" \
  | kubectl apply --server-side -f -

# Strimzi: the release's cluster-operator file names the namespace "myproject" for its RoleBindings' subjects; ours
# is $STRIMZI_NS. Server-side for the same reason (CRDs of a megabyte and more); --force-conflicts takes back the
# environment that "set env" below changed on an earlier run, which "set env" then sets again.
log "Strimzi $STRIMZI_VERSION"
fetch "https://github.com/strimzi/strimzi-kafka-operator/releases/download/${STRIMZI_VERSION}/strimzi-cluster-operator-${STRIMZI_VERSION}.yaml" \
  | sed "s/namespace: myproject$/namespace: ${STRIMZI_NS}/" \
  | kubectl -n "$STRIMZI_NS" apply --server-side --force-conflicts -f -
# Watch the platform's namespace only, and make no NetworkPolicies of its own: its generated one would admit every
# pod of every namespace to the metrics port and any listener without peers.
kubectl -n "$STRIMZI_NS" set env deploy/strimzi-cluster-operator \
  STRIMZI_NAMESPACE="$NS" STRIMZI_NETWORK_POLICY_GENERATION=false
# Its rights in the watched namespace (Strimzi's documentation, "watching other namespaces"): the three
# RoleBindings of the release's 020, 023 and 031 files, bound in $NS to its service account.
for binding in strimzi-cluster-operator:strimzi-cluster-operator-namespaced \
  strimzi-cluster-operator-watched:strimzi-cluster-operator-watched \
  strimzi-cluster-operator-entity-operator-delegation:strimzi-entity-operator; do
  kubectl -n "$NS" create rolebinding "${binding%%:*}" --clusterrole="${binding#*:}" \
    --serviceaccount="$STRIMZI_NS:strimzi-cluster-operator" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
done

# Keycloak operator: its two CRDs, then the operator in the platform's namespace. Its file binds the operator's
# ClusterRole to the service account in the namespace "keycloak"; ours is $NS.
log "Keycloak operator $KEYCLOAK_VERSION"
KC_RESOURCES="https://raw.githubusercontent.com/keycloak/keycloak-k8s-resources/${KEYCLOAK_VERSION}/kubernetes"
fetch "$KC_RESOURCES/keycloaks.k8s.keycloak.org-v1.yml" | kubectl apply --server-side -f -
fetch "$KC_RESOURCES/keycloakrealmimports.k8s.keycloak.org-v1.yml" | kubectl apply --server-side -f -
fetch "$KC_RESOURCES/kubernetes.yml" | sed "s/namespace: keycloak$/namespace: ${NS}/" | kubectl -n "$NS" apply -f -

# Prometheus Operator CRDs: the manifests' ServiceMonitor, PodMonitor and PrometheusRule need them to apply at all.
if kubectl get crd servicemonitors.monitoring.coreos.com >/dev/null 2>&1; then
  log "Prometheus Operator CRDs already there (kept as they are)"
else
  log "Prometheus Operator CRDs $PROMETHEUS_OPERATOR_VERSION"
  fetch "https://github.com/prometheus-operator/prometheus-operator/releases/download/${PROMETHEUS_OPERATOR_VERSION}/stripped-down-crds.yaml" \
    | kubectl apply --server-side -f -
fi

log "waiting for the operators"
kubectl wait --for=condition=Established --timeout="$TIMEOUT" \
  crd/clusters.postgresql.cnpg.io crd/kafkas.kafka.strimzi.io crd/kafkanodepools.kafka.strimzi.io \
  crd/kafkatopics.kafka.strimzi.io crd/keycloaks.k8s.keycloak.org crd/keycloakrealmimports.k8s.keycloak.org \
  crd/servicemonitors.monitoring.coreos.com crd/podmonitors.monitoring.coreos.com \
  crd/prometheusrules.monitoring.coreos.com
kubectl -n cnpg-system rollout status deploy/cnpg-controller-manager --timeout="$TIMEOUT"
kubectl -n "$STRIMZI_NS" rollout status deploy/strimzi-cluster-operator --timeout="$TIMEOUT"
kubectl -n "$NS" rollout status deploy/keycloak-operator --timeout="$TIMEOUT"
log "ready: CloudNativePG $CNPG_VERSION, Strimzi $STRIMZI_VERSION (watching $NS), Keycloak operator $KEYCLOAK_VERSION in $NS"
