# shellcheck shell=bash
# Helpers sourced by the scripts in deploy/local/. Not meant to be run on its own.
#
# Everything created at run time lives under $LOCAL_DIR (<repo>/.local, git-ignored):
#   tools/  downloaded binaries (Kafka jars, Keycloak dist, GreenMail jar)
#   data/   server state that must survive restarts (Kafka log dirs)
#   logs/   <part>.log, the previous run kept as <part>.log.1
#   run/    <part>.pid and generated config

# Resolve the repo from this file's location, so the scripts work from any current directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="${LOCAL_DIR:-$REPO_ROOT/.local}"
TOOLS_DIR="$LOCAL_DIR/tools"
DATA_DIR="$LOCAL_DIR/data"
LOG_DIR="$LOCAL_DIR/logs"
RUN_DIR="$LOCAL_DIR/run"
mkdir -p "$TOOLS_DIR" "$DATA_DIR" "$LOG_DIR" "$RUN_DIR"

# Versions live in tools/pom.xml; the scripts only need the ones that appear in paths.
# shellcheck disable=SC2034 # used by the scripts that source this file
KEYCLOAK_VERSION=26.7.3
# shellcheck disable=SC2034
KAFKA_LIBS="$TOOLS_DIR/kafka/libs"
KEYCLOAK_HOME="$TOOLS_DIR/keycloak-$KEYCLOAK_VERSION"
# shellcheck disable=SC2034
GREENMAIL_JAR="$TOOLS_DIR/greenmail/greenmail-standalone.jar"

# Prefix for messages; each script sets PART before sourcing (kafka, keycloak, ...).
PART="${PART:-local}"

log() { printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "$PART" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# wait_until <seconds> <description> <command...>
# Polls the command every WAIT_INTERVAL seconds (default 1) until it succeeds (returns 0) or the time is
# up (returns 1).
wait_until() {
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "gave up waiting ${limit}s for: $what"
      return 1
    fi
    sleep "${WAIT_INTERVAL:-1}"
  done
}

# port_open <host> <port>: bash's /dev/tcp, so no nc/curl is needed. The timeout guards against a
# filtered port hanging the connect (a closed local port refuses at once).
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

pid_file() { echo "$RUN_DIR/$1.pid"; }
log_file() { echo "$LOG_DIR/$1.log"; }

# is_running <name>: true while any process of the group recorded in the pid file is alive.
# The group (not just the leader) counts, because a wrapper like kc.sh may exit or stay while Java runs.
is_running() {
  local pf pid
  pf=$(pid_file "$1")
  [[ -s $pf ]] || return 1
  pid=$(<"$pf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 -- "-$pid" 2>/dev/null
}

running_pid() { cat "$(pid_file "$1")" 2>/dev/null; }

# start_detached <name> <command...>
# Runs the command in its own session (setsid), so it survives the calling shell and can be stopped as
# one process group. The child writes its own pid: with setsid the session leader's pid is the group id,
# and $! would be wrong whenever setsid has to fork.
start_detached() {
  local name=$1; shift
  local pf lf
  pf=$(pid_file "$name")
  lf=$(log_file "$name")
  [[ -f $lf ]] && mv -f "$lf" "$lf.1"
  rm -f "$pf"
  # shellcheck disable=SC2016 # $$ and $@ are expanded by the child shell
  # 9>&-: the server must not inherit the lock of with_lock, or it would hold it for its whole life.
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$pf" "$@" >"$lf" 2>&1 </dev/null 9>&- &
  local _
  for _ in $(seq 50); do
    [[ -s $pf ]] && return 0
    sleep 0.1
  done
  die "$name did not start; see $lf"
}

# stop_detached <name> [timeout seconds, default 30]
# TERM to the whole group (lets servers flush and deregister), KILL whatever is left after the timeout.
stop_detached() {
  local name=$1 limit=${2:-30}
  local pf pid
  pf=$(pid_file "$name")
  if ! is_running "$name"; then
    log "$name is not running"
    rm -f "$pf"
    return 0
  fi
  pid=$(<"$pf")
  log "stopping $name (process group $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || true
  # Poll fast: the outage tests stop and start Kafka often, every second counts.
  if ! WAIT_INTERVAL=0.2 wait_until "$limit" "$name to exit" bash -c "! kill -0 -- -$pid"; then
    log "$name still running after ${limit}s: sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait_until 10 "$name to die" bash -c "! kill -0 -- -$pid" || die "cannot kill process group $pid"
  fi
  rm -f "$pf"
  log "$name stopped"
}

# wait_ready <name> <seconds> <description> <command...>
# Like wait_until, but gives up as soon as the process has died, and on failure dies with the log's tail.
wait_ready() {
  local name=$1 limit=$2 what=$3; shift 3
  local deadline=$((SECONDS + limit)) lf
  lf=$(log_file "$name")
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$name"; then
      tail -n 30 "$lf" >&2 || true
      die "$name exited before it was ready ($what). Full log: $lf"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$lf" >&2 || true
      die "$name not ready after ${limit}s ($what); it is still running, stop it with '$0 stop'. Full log: $lf"
    fi
    sleep 1
  done
}

# resolve_tools <kafka|keycloak|greenmail>...
# Runs Maven only for the parts whose files are missing, all in one Maven run (Maven's startup costs
# more than the check). A part counts as present only after a run completed (the .resolved marker),
# so an interrupted download or unpack is redone rather than half used.
resolve_tools() {
  local goals=() part
  for part in "$@"; do
    [[ -f $TOOLS_DIR/.resolved-$part ]] && continue
    case $part in
      kafka) rm -rf "$TOOLS_DIR/kafka/libs"; goals+=("dependency:copy-dependencies@kafka") ;;
      # The unpack goal skips artifacts its marker says are done: drop the marker with the folder.
      keycloak) rm -rf "$KEYCLOAK_HOME" "$TOOLS_DIR"/.markers/*keycloak*; goals+=("dependency:unpack@keycloak") ;;
      greenmail) rm -rf "$TOOLS_DIR/greenmail" "$TOOLS_DIR"/.markers/*greenmail*; goals+=("dependency:copy@greenmail") ;;
      *) die "unknown tool part: $part" ;;
    esac
  done
  ((${#goals[@]})) || return 0
  local lf="$LOG_DIR/tools-maven.log"
  log "fetching ${goals[*]} with Maven (log: $lf)"
  # Run from the repo root so mvnw finds .mvn/; cd in a subshell keeps the caller's directory.
  if ! (cd "$REPO_ROOT" && ./mvnw -B -ntp -f deploy/local/tools/pom.xml "-DlocalDir=$LOCAL_DIR" "${goals[@]}") >"$lf" 2>&1; then
    tail -n 30 "$lf" >&2
    die "Maven could not fetch the tools; see $lf"
  fi
  for part in "$@"; do touch "$TOOLS_DIR/.resolved-$part"; done
}

# with_lock <command...>: one start/stop at a time per part. Tests call kafka.sh stop/start themselves,
# possibly while a developer runs infra.sh: without the lock two starts could both see "not running".
with_lock() {
  exec 9>"$RUN_DIR/$PART.lock"
  flock -w 300 9 || die "another $PART start/stop is still running after 300 s (lock $RUN_DIR/$PART.lock)"
  "$@"
  exec 9>&-
}

# Common dispatcher: each script defines do_start, do_stop, do_status.
dispatch() {
  case "${1:-}" in
    start) with_lock do_start ;;
    stop) shift; with_lock do_stop "$@" ;;
    status) do_status ;;
    restart) shift; with_lock do_stop "$@"; with_lock do_start ;;
    *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
  esac
}

# need_package <command> <debian package>: installs the package when the command is missing (fresh machines).
need_package() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (for $1)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; } >"$LOG_DIR/apt-$2.log" 2>&1 \
    || die "could not install $2; see $LOG_DIR/apt-$2.log"
}

# need_debian_packages <package...>: installs, in one apt-get, those of the packages dpkg does not list as installed.
need_debian_packages() {
  local package missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
    >"$LOG_DIR/apt-${missing[0]}.log" 2>&1 || die "could not install ${missing[*]}; see $LOG_DIR/apt-${missing[0]}.log"
}

# clean_shared_libraries: the libraries every service packages (platform-tokens, platform-web, platform) are built from
# clean, so a class or message bundle moved from one to another does not stay behind in the old one's target/classes
# and reach a service twice. Safe while another instance runs: nothing runs from their target folders (a service's
# quarkus-app has its own copies), and they are small.
clean_shared_libraries() {
  ./mvnw -B -ntp -q clean -pl platform-tokens,platform-web,platform >"$LOG_DIR/clean.log" 2>&1 ||
    { cat "$LOG_DIR/clean.log" >&2; die "could not clean the shared libraries"; }
}

# --- Instances --------------------------------------------------------------------------------------------------------
# Every copy of the platform on this machine is an instance with a name (INCENTIVES_INSTANCE, the services' property
# incentives.instance): run (the developer's platform, run.sh), test (the modules' @QuarkusTest suites), e2e (the
# end-to-end instance), bench (the benchmarks), or any other name. The name alone decides everything the instance owns
# in the shared infrastructure, so two instances never see each other's data (docs/conventions.md, "Instances"):
#   Keycloak realm   incentives-<instance>
#   Kafka topics     <instance>.<topic of topics.txt>      consumer groups <instance>.<service>.<channel>
#   databases        <service>_<instance>
#   Redis keys       <instance>:...
STANDARD_INSTANCES=(run test e2e)
SERVICE_NAMES=(identity eligibility enrollment payout)
# The databases of an instance: one per service, and platform_<instance> for the platform library's own tests (its
# outbox, inbox and idempotency against a real database: platform/src/test). Role and password: the name.
DATABASE_NAMES=("${SERVICE_NAMES[@]}" platform)

# check_instance <name>: lowercase letters and digits only, since the name becomes part of database names.
check_instance() {
  [[ $1 =~ ^[a-z][a-z0-9]{0,19}$ ]] || die "instance name '$1' must be lowercase letters and digits (at most 20), starting with a letter"
}
