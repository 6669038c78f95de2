#!/usr/bin/env bash
# Makes what an instance of the platform owns in the shared infrastructure (docs/conventions.md, "Instances"), when
# missing: its Keycloak realm incentives-<instance>, its Kafka topics <instance>.*, its databases <service>_<instance>.
#
#   deploy/local/instance.sh <instance> [--fresh]
#
# The databases are stamped with the realm's id and the Kafka cluster's id. When they were filled against another
# realm or cluster (a clone removed and cloned again keeps the machine's PostgreSQL but gets a new Keycloak and Kafka
# under .local; a changed realm file makes the realm again), the users and events they refer to are gone: they are
# made again, empty, and this is said. --fresh makes them again in any case (the end-to-end tests start from empty
# databases). services.sh runs this before it starts an instance; infrastructure must be running (infra.sh start).
set -euo pipefail
PART=instance
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$REPO_ROOT/deploy/local"

instance=${1:?usage: $0 <instance> [--fresh]}
check_instance "$instance"
realm=$("$HERE/keycloak.sh" realm "$instance") || die "could not make the Keycloak realm of instance $instance"
"$HERE/kafka.sh" topics "$instance" || die "could not make the Kafka topics of instance $instance"
cluster=$("$HERE/kafka.sh" cluster-id) || die "cannot read the Kafka cluster's id"
stamp="keycloak realm $realm, kafka cluster $cluster"
if [[ ${2:-} == --fresh ]]; then
  log "instance $instance starts from empty databases"
  "$HERE/postgres.sh" databases "$instance" --fresh "$stamp"
else
  "$HERE/postgres.sh" databases "$instance" --stamp "$stamp"
fi
log "instance $instance: realm incentives-$instance, topics $instance.*, databases *_$instance"
