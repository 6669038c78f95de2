#!/usr/bin/env bash
# Runs one of our container images without a container engine, under the same restrictions as its Kubernetes pod
# (deploy/k8s/base/apps: readOnlyRootFilesystem, runAsUser/runAsGroup 185, capabilities dropped, emptyDir on /tmp).
#
#   deploy/local/container.sh <unpacked-dir> [-v <host-dir>:<container-dir>]... [-e NAME[=value]]...
#
# <unpacked-dir> is what deploy/local/UnpackImage.java made of an image archive: rootfs/ and config.sh. Like a
# container runtime it starts the image's entrypoint with the image's user, working directory and environment (plus
# -e, nothing else of the caller's), in a private mount namespace: the root file system read-only, /proc, a minimal /dev, a fresh tmpfs on /tmp, and
# each -v bound read-write. It shares the host's network, so the services reach the local PostgreSQL, Kafka and
# Keycloak on localhost. Needs root (mount namespaces); services.sh uses it for RUNTIME=image.
set -euo pipefail

dir=${1:?usage: container.sh <unpacked-dir> [-v host:container]... [-e NAME[=value]]...}
shift
[[ -f $dir/config.sh && -d $dir/rootfs ]] || { echo "container.sh: $dir is not an unpacked image" >&2; exit 2; }
# shellcheck source=/dev/null
source "$dir/config.sh"
rootfs=$(cd "$dir/rootfs" && pwd)

args=("$@") volumes=() env=("${IMAGE_ENV[@]}")
while (($#)); do
  case $1 in
    -v) volumes+=("$2"); shift 2 ;;
    # -e NAME=value, or -e NAME to pass the caller's NAME on (so a secret stays out of this script's command line).
    -e) if [[ $2 == *=* ]]; then env+=("$2"); else env+=("$2=${!2-}"); fi; shift 2 ;;
    *) echo "container.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ ${CONTAINER_SH_INSIDE:-} != 1 ]]; then
  (($(id -u) == 0)) || { echo "container.sh: needs root for its mount namespace (or run the jars: RUNTIME=jar)" >&2; exit 2; }
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
