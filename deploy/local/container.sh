#!/usr/bin/env bash
# Runs one of our container images without a container engine, under the same restrictions as its Kubernetes pod
# (deploy/k8s/base/apps: readOnlyRootFilesystem, runAsUser/runAsGroup 185, capabilities dropped, emptyDir on /tmp).
#
#   deploy/local/container.sh <unpacked-dir> [-v <host-dir>:<container-dir>]... [-e NAME[=value]]...
#                             [--name <cgroup name> --memory <bytes> --cpus <millicores>]
#
# <unpacked-dir> is what deploy/local/UnpackImage.java made of an image archive: rootfs/ and config.sh. Like a
# container runtime it starts the image's entrypoint with the image's user, working directory and environment (plus
# -e, nothing else of the caller's), in a private mount namespace: the root file system read-only, /proc, a minimal /dev, a fresh tmpfs on /tmp, and
# each -v bound read-write. It shares the host's network, so the services reach the local PostgreSQL, Kafka and
# Keycloak on localhost. Needs root (mount namespaces); services.sh uses it for RUNTIME=image.
# With --memory and --cpus it runs in a cgroup of its own with the pod's limits (a memory limit, a CFS quota), and the
# cgroup file system is visible inside, so the JVM sizes its heap, GC and thread pools as it does in the pod
# (-XX:MaxRAMPercentage of the image's entrypoint; one CPU: the serial collector).
set -euo pipefail

dir=${1:?usage: container.sh <unpacked-dir> [-v host:container]... [-e NAME[=value]]...}
shift
[[ -f $dir/config.sh && -d $dir/rootfs ]] || { echo "container.sh: $dir is not an unpacked image" >&2; exit 2; }
# shellcheck source=/dev/null
source "$dir/config.sh"
rootfs=$(cd "$dir/rootfs" && pwd)

args=("$@") volumes=() env=("${IMAGE_ENV[@]}") name="" memory="" cpus=""
while (($#)); do
  case $1 in
    -v) volumes+=("$2"); shift 2 ;;
    --name) name=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    # -e NAME=value, or -e NAME to pass the caller's NAME on (so a secret stays out of this script's command line).
    -e) if [[ $2 == *=* ]]; then env+=("$2"); else env+=("$2=${!2-}"); fi; shift 2 ;;
    *) echo "container.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# limit_to <name> <memory bytes> <cpu millicores>: this shell (and so the service) into a cgroup with the pod's
# limits, as a container runtime does: cgroup v2 where the unified hierarchy has the memory and cpu controllers,
# else v1's memory and cpu hierarchies. A machine where neither can be written refuses (no silent run without limits).
limit_to() {
  local group=incentives/$1 bytes=$2 millicores=$3 period=100000 v2=/sys/fs/cgroup
  if [[ -f $v2/cgroup.controllers ]] && grep -qw memory "$v2/cgroup.controllers" && grep -qw cpu "$v2/cgroup.controllers"; then
    mkdir -p "$v2/incentives" "$v2/$group"
    echo "+memory +cpu" > "$v2/cgroup.subtree_control"
    echo "+memory +cpu" > "$v2/incentives/cgroup.subtree_control"
    echo "$bytes" > "$v2/$group/memory.max"
    echo "$((millicores * period / 1000)) $period" > "$v2/$group/cpu.max"
    echo $$ > "$v2/$group/cgroup.procs"
  elif [[ -d $v2/memory && -d $v2/cpu ]]; then
    mkdir -p "$v2/memory/$group" "$v2/cpu/$group"
    echo "$bytes" > "$v2/memory/$group/memory.limit_in_bytes"
    echo "$period" > "$v2/cpu/$group/cpu.cfs_period_us"
    echo "$((millicores * period / 1000))" > "$v2/cpu/$group/cpu.cfs_quota_us"
    echo $$ > "$v2/memory/$group/cgroup.procs"
    echo $$ > "$v2/cpu/$group/cgroup.procs"
  else
    echo "container.sh: no writable cgroup hierarchy with memory and cpu controllers under $v2" >&2
    exit 2
  fi
}

if [[ ${CONTAINER_SH_INSIDE:-} != 1 ]]; then
  (($(id -u) == 0)) || { echo "container.sh: needs root for its mount namespace (or run the jars: RUNTIME=jar)" >&2; exit 2; }
  if [[ -n $memory || -n $cpus ]]; then
    [[ $name =~ ^[a-z0-9.-]+$ && $memory =~ ^[0-9]+$ && $cpus =~ ^[0-9]+$ ]] ||
      { echo "container.sh: --memory and --cpus need --name <a-z0-9.->, bytes and millicores" >&2; exit 2; }
    limit_to "$name" "$memory" "$cpus"
  fi
  # A private mount namespace: everything mounted below disappears with the last process in it. No fork: this
  # process becomes the shell below, so a signal to it reaches the service.
  exec env CONTAINER_SH_INSIDE=1 unshare --mount --propagation private bash "$0" "$dir" "${args[@]}"
fi

# Inside the namespace. The root file system becomes a read-only bind of itself.
mount --bind "$rootfs" "$rootfs"
# As a runtime does, the host's name and resolver (Kubernetes mounts the pod's own): without them the JVM cannot
# resolve its own host name. Empty files to mount on are made in the unpacked tree, not in the image.
for file in hosts hostname resolv.conf; do
  [[ -e /etc/$file ]] || continue
  [[ -e $rootfs/etc/$file ]] || touch "$rootfs/etc/$file"
  mount --bind "/etc/$file" "$rootfs/etc/$file"
done
for volume in "${volumes[@]}"; do
  host=${volume%%:*} target=$rootfs${volume#*:}
  # The mount point, as a runtime creates it; in the unpacked tree, not in the image.
  mkdir -p "$target"
  mount --bind "$host" "$target"
done
# The cgroup file system, read-only, where the JVM looks for its container's limits.
mkdir -p "$rootfs/sys/fs/cgroup"
mount --rbind -o ro /sys/fs/cgroup "$rootfs/sys/fs/cgroup"
mount -o remount,bind,ro "$rootfs"
mount -t proc -o nosuid,nodev,noexec proc "$rootfs/proc"
mount -t tmpfs -o nosuid,nodev,size=256m,mode=1777 tmpfs "$rootfs/tmp"
mount -t tmpfs -o nosuid,noexec,size=64k,mode=755 tmpfs "$rootfs/dev"
for device in null zero full random urandom; do
  touch "$rootfs/dev/$device"
  mount --bind "/dev/$device" "$rootfs/dev/$device"
done

# The user as the image names it (uid or uid:gid). This shell stays as the service's parent, as a container's init
# would, and passes TERM and INT on, so stopping this process stops the service gracefully.
uid=${IMAGE_USER%%:*} gid=${IMAGE_USER#*:}
env -i "${env[@]}" unshare --root="$rootfs" --wd="${IMAGE_WORKDIR:-/}" --setuid "$uid" --setgid "$gid" \
  -- "${IMAGE_ENTRYPOINT[@]}" "${IMAGE_CMD[@]}" &
service=$!
trap 'kill -TERM "$service" 2>/dev/null' TERM INT
trap 'kill -KILL "$service" 2>/dev/null' EXIT
status=0
wait "$service" || status=$?
# A trapped signal interrupts the first wait; the second waits for the service to finish shutting down.
while kill -0 "$service" 2>/dev/null; do wait "$service" || status=$?; done
trap - EXIT
exit "$status"
