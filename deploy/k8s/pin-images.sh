#!/usr/bin/env bash
# Pins the production overlay's images to the digests of a build, so that every pod of a rollout runs exactly the
# image that was built and tested, never whatever a tag points to at pull time.
#
#   deploy/k8s/pin-images.sh [digests-file] [overlay-dir]
#
# digests-file: deploy/target/images/digests.txt by default, written by the image build (`./mvnw package
# -Dimages.registry=...`: "<module> sha256:<64 hex>" per line). overlay-dir: deploy/k8s/overlays/production.
# Every `images:` entry named incentives/<module> gets `digest: <its digest>` in place of its newTag or previous digest;
# its newName (your registry) stays. Refuses, changing nothing, when a digest is malformed or when the file and the
# overlay do not name the same modules (a partial file would leave some images on a tag).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIGESTS=${1:-$ROOT/deploy/target/images/digests.txt}
OVERLAY=${2:-$ROOT/deploy/k8s/overlays/production}
KUSTOMIZATION=$OVERLAY/kustomization.yaml

[[ -f $DIGESTS ]] || { echo "pin-images: no digests file $DIGESTS (build the images first: ./mvnw package -DskipTests -Dimages.registry=<host>)" >&2; exit 1; }
[[ -f $KUSTOMIZATION ]] || { echo "pin-images: no $KUSTOMIZATION" >&2; exit 1; }

if bad=$(grep -Ev '^[a-z0-9-]+ sha256:[0-9a-f]{64}$' "$DIGESTS" | grep -v '^$'); then
  echo "pin-images: malformed lines in $DIGESTS (want '<module> sha256:<64 hex>'):" >&2
  echo "$bad" >&2
  exit 1
fi

in_file=$(awk 'NF { print $1 }' "$DIGESTS" | sort)
in_overlay=$(sed -nE 's|^  - name: incentives/([a-z0-9-]+)[[:space:]]*$|\1|p' "$KUSTOMIZATION" | sort)
if [[ -z $in_overlay || $in_file != "$in_overlay" ]]; then
  echo "pin-images: $DIGESTS names [$(echo $in_file)] but the overlay's images: list names [$(echo $in_overlay)]" >&2
  exit 1
fi

# Within the entry "  - name: incentives/<m>", the line "    newTag: ..." or "    digest: ..." becomes the digest.
tmp=$(mktemp "$KUSTOMIZATION.XXXXXX")
trap 'rm -f "$tmp"' EXIT
awk -v digests="$DIGESTS" '
  BEGIN { while ((getline line < digests) > 0) { split(line, f, " "); if (f[1] != "") pin[f[1]] = f[2] } }
  /^  - name: / { current = ""; if (match($0, /incentives\/[a-z0-9-]+/)) current = substr($0, RSTART + 11, RLENGTH - 11) }
  /^    (newTag|digest): / && (current in pin) { print "    digest: " pin[current]; done[current] = 1; next }
  { print }
  END { for (m in pin) if (!(m in done)) { print "pin-images: the entry of incentives/" m " has no newTag or digest line" > "/dev/stderr"; exit 1 } }
' "$KUSTOMIZATION" > "$tmp"
mv "$tmp" "$KUSTOMIZATION"
trap - EXIT
echo "pin-images: $(wc -l < "$DIGESTS" | tr -d ' ') images of $KUSTOMIZATION pinned to the digests in $DIGESTS"
