#!/usr/bin/env bash
# Redis for the gateways' shared rate limits: Debian's redis-server package, like PostgreSQL a system package
# rather than a private copy.
#
#   deploy/local/redis.sh start    install if missing, start a server on 127.0.0.1:6379 if none answers, wait for PING
#   deploy/local/redis.sh status
#   deploy/local/redis.sh stop     no-op: left running, like PostgreSQL (a system service, or the one 'start' made)
#
# Nothing to persist (rate-limit counters live seconds): no RDB snapshots, no append-only file. Every instance (run,
# the tests, e2e) shares this server; the gateway prefixes its keys with its instance (incentives.instance), so they
# never meet. Gateway: quarkus.redis.hosts=redis://127.0.0.1:6379 (its default), QUARKUS_REDIS_HOSTS in the
# environment.
set -euo pipefail
PART=redis
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_HOST=127.0.0.1
# Overridable only to try the script against a scratch server (REDIS_PORT=6390 redis.sh start; redis-cli -p 6390 shutdown).
REDIS_PORT=${REDIS_PORT:-6379}
REDIS_DIR=/var/lib/redis
REDIS_LOG=/var/log/redis/ci.log

ready() { [[ $(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

do_start() {
  # redis-tools (redis-cli) comes with the server package.
  need_package redis-server redis-server
  if ready; then
    log "already running on $REDIS_HOST:$REDIS_PORT"
    return 0
  fi
  # Debian's package may have started its own service (systemd) and it may still be coming up: give it a moment
  # before starting a second server on the same port.
  if port_open "$REDIS_HOST" "$REDIS_PORT"; then
    wait_until 10 "Redis on $REDIS_HOST:$REDIS_PORT to answer PING" ready && {
      log "running on $REDIS_HOST:$REDIS_PORT"
      return 0
    }
    die "something listens on $REDIS_HOST:$REDIS_PORT but does not answer PING (see: ss -ltnp)"
  fi
  # The package makes both directories; a machine where they were removed still gets a server.
  mkdir -p "$REDIS_DIR" "$(dirname "$REDIS_LOG")"
  log "starting redis-server on $REDIS_HOST:$REDIS_PORT (log: $REDIS_LOG)"
  # 9>&-: the daemon must not inherit our lock file descriptor (see with_lock in lib.sh).
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$REDIS_DIR" --logfile "$REDIS_LOG" 9>&- || die "redis-server did not start; see $REDIS_LOG"
  wait_until 30 "Redis on $REDIS_HOST:$REDIS_PORT to answer PING" ready ||
    die "Redis does not answer PING on $REDIS_HOST:$REDIS_PORT; see $REDIS_LOG"
  log "ready on $REDIS_HOST:$REDIS_PORT"
}

do_stop() {
  log "Redis is left running (a system service, shared by every instance); stop it with: redis-cli -p $REDIS_PORT shutdown"
}

do_status() {
  if ready; then
    log "running on $REDIS_HOST:$REDIS_PORT ($(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" info server 2>/dev/null |
      sed -n 's/^redis_version:\(.*\)\r*$/redis \1/p'))"
  else
    log "not answering on $REDIS_HOST:$REDIS_PORT"
    exit 3
  fi
}

dispatch "$@"
