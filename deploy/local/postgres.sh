#!/usr/bin/env bash
# PostgreSQL for local development and the test suites: Debian's system package, not a private copy,
# because it is already there on most machines (and apt is reachable where it is not).
#
#   deploy/local/postgres.sh start    install if missing, start the cluster if down, create roles + databases
#   deploy/local/postgres.sh status
#   deploy/local/postgres.sh stop     no-op (system service); 'stop --force' stops the cluster
#   deploy/local/postgres.sh databases <instance> [--stamp <text> | --fresh]
#                                     the instance's databases (see ensure_databases)
#   deploy/local/postgres.sh admin-sql [database]
#                                     the SQL on stdin as the superuser
#
# Per service <svc> (and platform, for the platform library's own tests: lib.sh DATABASE_NAMES): LOGIN role <svc>,
# password <svc> (local dev only), and a database <svc>_<instance> per instance
# of the platform (run: the developer's platform, test: the @QuarkusTest suites, e2e: the end-to-end instance, ...),
# owned by the role. JDBC: jdbc:postgresql://127.0.0.1:5432/<svc>_<instance> (use the IP: on some machines the server
# listens on 127.0.0.1 but not on ::1).
set -euo pipefail
PART=postgres
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_HOST=127.0.0.1
# Overridable only to try the script against a scratch cluster (pg_createcluster 15 scratch --port 5433).
PG_CLUSTER=${PG_CLUSTER:-main}
PG_PORT=${PG_PORT:-5432}

# psql as the postgres OS user over the Unix socket: peer/trust auth there on every Debian setup,
# whatever pg_hba says for TCP.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres -- "$@"
  fi
}

install_if_missing() {
  # The server binary, not psql: the client packages alone also bring pg_lsclusters.
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && command -v pg_ctlcluster >/dev/null && return 0
  [[ $(id -u) -eq 0 ]] || die "PostgreSQL is not installed; run as root or: sudo apt-get install -y postgresql"
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  # 9>&-: the package's postinst may start the server, which must not inherit our lock.
  if ! { apt-get update -q && apt-get install -y -q postgresql; } >"$(log_file postgres-install)" 2>&1 9>&-; then
    die "apt-get install postgresql failed; see $(log_file postgres-install)"
  fi
}

# The cluster's version is whatever Debian shipped (15 on bookworm); take the first cluster named $PG_CLUSTER.
cluster_version() {
  local v
  v=$(pg_lsclusters --no-header 2>/dev/null | awk -v c="$PG_CLUSTER" '$2 == c { print $1; exit }')
  [[ -n $v ]] || v=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  [[ -n $v ]] || die "no PostgreSQL cluster found (pg_lsclusters is empty)"
  echo "$v"
}

cluster_online() { pg_lsclusters --no-header | awk -v v="$1" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $4 }' | grep -q online; }

ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

psql_admin() { (cd / && as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"); }

# The roles, one per service: LOGIN with its name as password (local only). ALTER on every run keeps the password
# right even if someone changed it.
create_roles() {
  local svc sql=""
  for svc in "${DATABASE_NAMES[@]}"; do
    sql+="
SELECT format('CREATE ROLE %I LOGIN', '$svc') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$svc')
\\gexec
ALTER ROLE \"$svc\" LOGIN PASSWORD '$svc';
"
  done
  # -X: ignore any ~/.psqlrc; cd /: runuser keeps the cwd, which postgres may not be allowed to read.
  psql_admin <<<"$sql" >/dev/null || die "creating roles failed"
}

# stamp_of <database>: the comment the database was stamped with (empty when none or missing).
stamp_of() { psql_admin -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$1'"; }
exists() { [[ $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$1'") == 1 ]]; }

# ensure_databases <instance> [--stamp <text> | --fresh]: the databases <svc>_<instance>, each owned by its service's
# role. --fresh drops and makes them again. --stamp: they describe the infrastructure named by <text> (the Keycloak
# realm and Kafka cluster they were filled from); a database stamped otherwise (an earlier clone's, or from before the
# realm was made again) refers to users and events that no longer exist, so all of the instance's databases are made
# again, and it is said. Without either, existing databases are kept as they are.
ensure_databases() {
  local instance=$1 mode=${2:-} stamp=${3:-} svc db reset=false
  check_instance "$instance"
  if [[ $mode == --fresh ]]; then
    reset=true
  elif [[ $mode == --stamp ]]; then
    for svc in "${DATABASE_NAMES[@]}"; do
      db="${svc}_$instance"
      if exists "$db" && [[ $(stamp_of "$db") != "$stamp" ]]; then
        log "database $db was filled against other infrastructure ($(stamp_of "$db" | sed 's/^$/no stamp/')):" \
          "its users or events are gone, so the databases of instance $instance are made again, empty"
        reset=true
        break
      fi
    done
  fi
  local sql=""
  for svc in "${DATABASE_NAMES[@]}"; do
    db="${svc}_$instance"
    if $reset; then
      sql+="DROP DATABASE IF EXISTS \"$db\" WITH (FORCE);
"
    fi
    sql+="SELECT format('CREATE DATABASE %I OWNER %I', '$db', '$svc') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db')
\\gexec
"
    if [[ -n $stamp ]]; then
      sql+="COMMENT ON DATABASE \"$db\" IS '${stamp//\'/}';
"
    fi
  done
  psql_admin <<<"$sql" >/dev/null || die "making the databases of instance $instance failed"
}

# Proves what the services will do: log in over TCP with the password (Debian's default pg_hba asks
# for one on 127.0.0.1; where trust is configured it simply passes).
check_logins() {
  local svc instance ok=0
  for instance in "$@"; do
    for svc in "${DATABASE_NAMES[@]}"; do
      if ! PGPASSWORD=$svc psql -X -q -At -h "$PG_HOST" -p "$PG_PORT" -U "$svc" -d "${svc}_$instance" -c 'select 1' >/dev/null 2>&1; then
        log "login as $svc to database ${svc}_$instance over TCP FAILED"
        ok=1
      fi
    done
  done
  return $ok
}

do_start() {
  install_if_missing
  local v
  v=$(cluster_version)
  if cluster_online "$v"; then
    log "cluster $v/$PG_CLUSTER already running"
  else
    log "starting cluster $v/$PG_CLUSTER"
    # 9>&-: the server daemon must not inherit our lock file descriptor (see with_lock in lib.sh).
    pg_ctlcluster "$v" "$PG_CLUSTER" start 9>&- || die "pg_ctlcluster $v $PG_CLUSTER start failed; see /var/log/postgresql/postgresql-$v-$PG_CLUSTER.log"
  fi
  wait_until 30 "PostgreSQL on $PG_HOST:$PG_PORT" ready ||
    die "PostgreSQL does not accept connections on $PG_HOST:$PG_PORT; see /var/log/postgresql/postgresql-$v-$PG_CLUSTER.log"
  create_roles
  local instance
  for instance in "${STANDARD_INSTANCES[@]}"; do ensure_databases "$instance"; done
  check_logins "${STANDARD_INSTANCES[@]}" ||
    die "roles exist but cannot log in over TCP; check /etc/postgresql/$v/$PG_CLUSTER/pg_hba.conf"
  log "ready on $PG_HOST:$PG_PORT; databases <service>_<instance> for the instances ${STANDARD_INSTANCES[*]} (owner and password: the service's name)"
}

do_stop() {
  if [[ ${1:-} == --force ]]; then
    local v
    v=$(cluster_version)
    pg_ctlcluster "$v" "$PG_CLUSTER" stop 9>&- && log "cluster $v/$PG_CLUSTER stopped"
  else
    log "PostgreSQL is a system service and is left running (use 'stop --force' to stop it)"
  fi
}

do_status() {
  if ready; then
    if check_logins "${STANDARD_INSTANCES[@]}"; then
      log "running on $PG_HOST:$PG_PORT, service roles and databases OK"
    else
      log "running on $PG_HOST:$PG_PORT, but service logins fail: run '$0 start'"
      exit 1
    fi
  else
    log "not accepting connections on $PG_HOST:$PG_PORT"
    exit 3
  fi
}

# admin-sql [database]: runs the SQL on stdin as PostgreSQL's superuser (tests that must create roles: the deploy
# module's DatabaseLoginRolesTest). Prints the rows unaligned, one per line.
if [[ ${1:-} == admin-sql ]]; then
  ready || die "PostgreSQL is not running: start it first ($0 start)"
  (cd / && as_postgres psql -X -q -At -v ON_ERROR_STOP=1 -p "$PG_PORT" -d "${2:-postgres}")
  exit
fi
if [[ ${1:-} == databases ]]; then
  [[ -n ${2:-} ]] || die "usage: $0 databases <instance> [--stamp <text> | --fresh]"
  ready || die "PostgreSQL is not running: start it first ($0 start)"
  create_roles
  with_lock ensure_databases "${@:2}"
  exit 0
fi
dispatch "$@"
