#!/usr/bin/env bash
# The whole local infrastructure the services and their tests need.
#
#   deploy/local/infra.sh start    PostgreSQL and Redis first, then Kafka, Keycloak and GreenMail in parallel
#   deploy/local/infra.sh stop     Kafka, Keycloak, GreenMail (PostgreSQL and Redis are system services: left running)
#   deploy/local/infra.sh status
#   deploy/local/infra.sh restart
#
# Logs: .local/logs/<part>.log (start output of the parallel parts: .local/logs/infra-<part>.out)
set -euo pipefail
PART=infra
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE="$REPO_ROOT/deploy/local"
PARALLEL_PARTS=(kafka keycloak smtp)

summary() {
  cat >&2 <<EOF

  Instances   run (run.sh), test (module tests), e2e (end-to-end tests), each with its own realm, topics, databases
  PostgreSQL  127.0.0.1:5432   db <svc>_<instance>, user/password <svc> (identity eligibility enrollment payout)
  Kafka       127.0.0.1:9092   topics <instance>.<topic of deploy/local/topics.txt> (auto-create off)
  Keycloak    http://localhost:8180/realms/incentives-<instance>   admin console http://localhost:8180/admin (admin/admin)
              password grant: client incentives-cli, user operator / Operator-Demo-1
  Redis       127.0.0.1:6379   the gateways' shared rate limits, keys <instance>:ratelimit:*
  SMTP        127.0.0.1:3025   IMAP 127.0.0.1:3143   mail REST API http://localhost:8025/api
  Logs        $LOG_DIR

EOF
}

# Runs "<part>.sh <action>" for every part at once, each writing to its own file (interleaved output
# from three servers is unreadable), then reports every failure, not just the first.
run_parallel() {
  local action=$1 part failed=()
  local -A pids=()
  for part in "${PARALLEL_PARTS[@]}"; do
    "$HERE/$part.sh" "$action" >"$LOG_DIR/infra-$part.out" 2>&1 &
    pids[$part]=$!
  done
  for part in "${PARALLEL_PARTS[@]}"; do
    if wait "${pids[$part]}"; then
      sed "s/^/  /" "$LOG_DIR/infra-$part.out" >&2
    else
      failed+=("$part")
      log "$part $action FAILED:"
      sed "s/^/  /" "$LOG_DIR/infra-$part.out" >&2
    fi
  done
  ((${#failed[@]} == 0)) || die "${failed[*]} failed to $action (details above; logs in $LOG_DIR)"
}

do_start() {
  local t0=$SECONDS
  # PostgreSQL and Redis first, one after the other: either may need apt-get, which must not run alongside anything
  # else that uses apt.
  "$HERE/postgres.sh" start
  "$HERE/redis.sh" start
  # One Maven run for whatever is missing, before the parallel starts: three concurrent Maven runs would
  # race on the local repository and the wrapper download.
  resolve_tools kafka keycloak greenmail
  log "starting ${PARALLEL_PARTS[*]} in parallel"
  run_parallel start
  log "all up in $((SECONDS - t0)) s"
  summary
}

do_stop() {
  run_parallel stop
  "$HERE/redis.sh" stop
  "$HERE/postgres.sh" stop "$@"
}

do_status() {
  local part rc=0
  "$HERE/postgres.sh" status || rc=1
  "$HERE/redis.sh" status || rc=1
  for part in "${PARALLEL_PARTS[@]}"; do
    "$HERE/$part.sh" status || rc=1
  done
  return $rc
}

dispatch "$@"
