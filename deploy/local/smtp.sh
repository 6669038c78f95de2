#!/usr/bin/env bash
# GreenMail standalone: a throw-away mail server, so the services' emails (invitations, migration
# notices) can be sent for real and read back by tests. Nothing leaves the machine.
#
#   deploy/local/smtp.sh start|stop|status|restart
#
#   SMTP  127.0.0.1:3025  no TLS, no auth (quarkus.mailer.host=127.0.0.1, port=3025; Quarkus mocks the mailer
#                       in dev/test unless quarkus.mailer.mock=false)
#   IMAP  127.0.0.1:3143
#   REST  http://localhost:8025/api   (8025, not GreenMail's default 8080: that is our gateway's port)
#
# Auth is disabled, so every recipient gets a mailbox when the first mail for it arrives. Mail is kept in
# memory only: a restart (or POST /api/mail/purge) empties every mailbox.
#
# How a test reads the mail sent to an address (verified with GreenMail 2.1.13 and curl):
#   REST: GET http://localhost:8025/api/user/<email>/messages/INBOX
#         -> 200, JSON array of {"uid": "1", "Message-ID": ..., "subject", "contentType", "mimeMessage"};
#            mimeMessage is the raw RFC 822 text (headers + body as sent: quoted-printable/base64 parts are
#            not decoded; parse it with jakarta.mail MimeMessage if the body is encoded).
#            NB the id key is "Message-ID", not "messageId" as GreenMail's OpenAPI file says.
#         Until the first mail to <email> arrives (or someone logs in to IMAP as it) the mailbox does not
#         exist and the call answers 400 {"message":"User '<email>' not found"}: poll until 200 + non-empty.
#         GET /api/user lists the mailboxes; POST /api/mail/purge empties all of them (e.g. before a test).
#   IMAP: 127.0.0.1:3143, no TLS, user = the full email address, password = the same email address
#         (what GreenMail gives auto-created users; with auth disabled any password is accepted too),
#         folder INBOX. e.g. curl --url 'imap://127.0.0.1:3143/INBOX;UID=1' --user "$EMAIL:$EMAIL"
set -euo pipefail
PART=smtp
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

API_PORT=8025
READY_URL="http://localhost:$API_PORT/api/service/readiness"
READY_TIMEOUT=${SMTP_READY_TIMEOUT:-60}

api_ready() { curl -sf -o /dev/null --max-time 5 "$READY_URL"; }

do_start() {
  if is_running smtp; then
    log "already running (pid $(running_pid smtp)): SMTP 127.0.0.1:3025, IMAP 127.0.0.1:3143, API http://localhost:$API_PORT"
    return 0
  fi
  local p
  for p in 3025 3143 "$API_PORT"; do
    port_open 127.0.0.1 "$p" && die "port $p is taken by a process this script did not start (see: ss -ltnp)"
  done
  resolve_tools greenmail
  log "starting GreenMail (log: $(log_file smtp))"
  # greenmail.setup.test.* = the 3000-offset ports (3025 SMTP, 3143 IMAP); bound to 127.0.0.1 only.
  start_detached smtp java -Xmx128m -XX:+UseSerialGC \
    -Dgreenmail.setup.test.smtp -Dgreenmail.setup.test.imap \
    -Dgreenmail.hostname=127.0.0.1 \
    -Dgreenmail.auth.disabled \
    -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$API_PORT" \
    -jar "$GREENMAIL_JAR"
  wait_ready smtp "$READY_TIMEOUT" "$READY_URL answering 200" api_ready
  wait_ready smtp 10 "SMTP port 3025" port_open 127.0.0.1 3025
  log "ready: SMTP 127.0.0.1:3025, IMAP 127.0.0.1:3143, API http://localhost:$API_PORT/api"
}

do_stop() { stop_detached smtp 15; }

do_status() {
  if is_running smtp && api_ready; then
    log "running (pid $(running_pid smtp)): SMTP 127.0.0.1:3025, IMAP 127.0.0.1:3143, API http://localhost:$API_PORT/api"
  elif is_running smtp; then
    log "process running (pid $(running_pid smtp)) but $READY_URL does not answer; see $(log_file smtp)"
    exit 1
  else
    log "not running"
    exit 3
  fi
}

dispatch "$@"
