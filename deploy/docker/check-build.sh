#!/usr/bin/env bash
# Proves the repository's Dockerfile builds and its image runs, on a machine with the .NET SDK but no container
# engine or registry: every instruction of every stage is carried out as written (read from the Dockerfile, so the
# two cannot drift) in a scratch folder, each stage's root an overlay over this machine's root, which stands in for
# the .NET base images. Then the image is started as it would be: its ENTRYPOINT, CMD, ENV, WORKDIR and USER, on a
# read-only root, in a network namespace of its own (only its loopback):
#   - `validate` on each config in examples/;
#   - two `echo` backends and the gateway with its default CMD, until /healthz/ready answers 200, one request
#     through it to each lane, then SIGTERM and a clean exit.
# Needs root (mount and network namespaces, overlayfs, chroot), jq and iproute2. Exit 0 when all of that holds.
#
#   deploy/docker/check-build.sh [--scratch DIR] [--dockerfile FILE]
#     DIR is kept, with the image's files in DIR/app (default: a temporary folder, removed at the end); FILE
#     defaults to the repository's Dockerfile (the tests give broken ones; the context is the repository either way).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
self="$here/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=dockerfile-lib.sh
source "$here/dockerfile-lib.sh"

# The smoke run's own loopback ports for the two backends; the gateway keeps the image's ports.
readonly BASE_PORT=18081 GRAY_PORT=18082

# ---- phase 3, in the image's network namespace: start the image --------------------------------------------------
http_get() (
  # PORT PATH [HEADER]: the raw response, over bash's /dev/tcp so no HTTP client is needed.
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\n%sConnection: close\r\n\r\n' "$2" "${3:+$3$'\r\n'}" >&3
  timeout 10 cat <&3
)

wait_for() {
  # PORT PATH PID: until PATH answers 200, while PID lives.
  local i
  for ((i = 0; i < 300; i++)); do
    http_get "$1" "$2" 2>/dev/null | head -n 1 | grep -q ' 200 ' && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

smoke() {
  # shellcheck source=/dev/null
  source "$1"
  local log_dir
  log_dir=$(dirname "$1")
  ip link set lo up
  local uid=${DF_USER%%:*} gid=${DF_USER#*:} entry cmd
  [[ $uid =~ ^[0-9]+$ ]] || df_fail "USER $DF_USER: use a numeric user (Kubernetes' runAsNonRoot needs one)"
  [[ $DF_USER == *:* ]] || gid=$uid
  ((uid != 0)) || df_fail "the image runs as root"
  mapfile -t entry < <(jq -r '.[]' <<<"$DF_ENTRYPOINT")
  mapfile -t cmd < <(jq -r '.[]' <<<"$DF_CMD")
  local image=(chroot --userspec="$uid:$gid" "$RUN_ROOT" env -i --chdir="$DF_WORKDIR" "${DF_ENV[@]}" HOME=/home/app "${entry[@]}")

  local example out
  for example in "$RUN_ROOT"/cfg/examples/*.json; do
    out=$("${image[@]}" validate "/cfg/examples/${example##*/}" 2>&1) || df_fail "validate ${example##*/} in the image: $out"
    echo "check-build: image: $out"
  done

  "${image[@]}" echo --service orders --lane base --urls "http://127.0.0.1:$BASE_PORT" >"$log_dir/base.log" 2>&1 &
  local base=$!
  "${image[@]}" echo --service orders --lane gray --urls "http://127.0.0.1:$GRAY_PORT" >"$log_dir/gray.log" 2>&1 &
  local gray=$!
  if ! wait_for "$BASE_PORT" /healthz "$base" || ! wait_for "$GRAY_PORT" /healthz "$gray"; then
    df_fail "the image's echo backends did not start: $(cat "$log_dir/base.log" "$log_dir/gray.log")"
  fi

  "${image[@]}" "${cmd[@]}" >"$log_dir/gateway.log" 2>&1 &
  local gateway=$!
  local admin_port public_port
  admin_port=$(printf '%s\n' "${DF_ENV[@]}" | sed -n 's/^Admin__Urls=.*:\([0-9]*\)$/\1/p')
  public_port=$(printf '%s\n' "${DF_ENV[@]}" | sed -n 's/^ASPNETCORE_URLS=.*:\([0-9]*\)$/\1/p')
  [[ -n $admin_port && -n $public_port ]] || df_fail "the image's ENV sets no ASPNETCORE_URLS or Admin__Urls port"
  wait_for "$admin_port" /healthz/ready "$gateway" \
    || df_fail "the gateway in the image never answered /healthz/ready on :$admin_port: $(cat "$log_dir/gateway.log")"
  echo "check-build: image: gateway ready on :$public_port, admin :$admin_port"

  local lane header
  for lane in base gray; do
    header=""
    [[ $lane == gray ]] && header="x-user-id: 1001"
    out=$(http_get "$public_port" /api/orders/1 "$header" | tr -d '\r')
    grep -qi "^x-served-lane: $lane$" <<<"$out" || df_fail "GET /api/orders/1 ${header:+($header) }was not served by $lane: $out"
  done
  echo "check-build: image: requests reached the base and gray lanes through the gateway"

  kill -TERM "$gateway"
  local status=0
  wait "$gateway" || status=$?
  ((status == 0)) || df_fail "the gateway exited $status after SIGTERM: $(cat "$log_dir/gateway.log")"
  echo "check-build: image: the gateway stopped cleanly on SIGTERM"
}

# ---- phase 2, in a private mount namespace: build every stage, then start the image --------------------------------
inside() {
  local scratch=$1 keep=$2 dockerfile=$3
  DF_LAYERS="$scratch/layers"
  DF_CONTEXT="$scratch/context"
  DF_BUILD_ARGS[TARGETARCH]=$(dpkg --print-architecture)
  DF_BUILD_ARGS[TARGETOS]=linux
  mkdir -p "$DF_LAYERS"
  # The stages' upper layers cannot live on the file system they overlay.
  mount -t tmpfs -o mode=755 tmpfs "$DF_LAYERS"
  df_parse "$dockerfile"
  df_build

  echo "check-build: built"
  if ((keep)); then
    rm -rf "$scratch/app"
    cp -R --preserve=mode,timestamps "$DF_ROOT$DF_WORKDIR" "$scratch/app"
    echo "check-build: the image's $DF_WORKDIR is copied to $scratch/app"
  fi

  # The smoke run's configs: the examples for `validate`, and at the CMD's --config path one that routes to the
  # image's own echo backends (this mirrors mounting a ConfigMap at that path).
  local config
  config=$(jq -r 'index("--config") as $i | if $i then .[$i + 1] else empty end' <<<"$DF_CMD")
  [[ -n $config ]] || df_fail "the image's CMD has no --config FILE"
  mkdir -p "$DF_ROOT/cfg/deploy" "$DF_ROOT$(dirname "$config")"
  cp -R "$repo/examples" "$DF_ROOT/cfg/"
  cp -R "$repo/deploy/geo" "$DF_ROOT/cfg/deploy/"
  cat >"$DF_ROOT$config" <<JSON
{
  "ReverseProxy": {
    "Routes": { "orders": { "ClusterId": "orders", "Match": { "Path": "/api/orders/{**rest}" } } },
    "Clusters": {
      "orders": {
        "Destinations": {
          "base": { "Address": "http://127.0.0.1:$BASE_PORT/" },
          "gray": { "Address": "http://127.0.0.1:$GRAY_PORT/", "Metadata": { "lane": "gray" } }
        }
      }
    }
  },
  "Lanes": {
    "Groups": {
      "shop": {
        "Routes": [ "orders" ],
        "Lanes": [
          { "Name": "testers", "Tag": "gray", "Match": { "Headers": [ { "Name": "x-user-id", "Mode": "Exact", "Values": [ "1001" ] } ] } }
        ]
      }
    }
  },
  "Lifecycle": { "DrainDelaySeconds": 1, "ShutdownTimeoutSeconds": 5 }
}
JSON

  # As Kubernetes runs it (deploy/k8s): a read-only root with a writable /tmp.
  RUN_ROOT="$DF_LAYERS/run"
  mkdir -p "$RUN_ROOT"
  mount --bind "$DF_ROOT" "$RUN_ROOT"
  mount -o remount,bind,ro "$RUN_ROOT"
  mount --rbind /dev "$RUN_ROOT/dev" && mount --rbind /proc "$RUN_ROOT/proc" && mount --rbind /sys "$RUN_ROOT/sys"
  mount -t tmpfs -o mode=1777 tmpfs "$RUN_ROOT/tmp"
  declare -p DF_ENV DF_USER DF_ENTRYPOINT DF_CMD DF_WORKDIR RUN_ROOT >"$DF_LAYERS/image.state"
  # Its own network namespace (nothing but loopback) and PID namespace (whatever it started ends with it).
  unshare --net --pid --fork --kill-child "$self" --smoke "$DF_LAYERS/image.state"
}

# ---- phase 1: the scratch folder and the build context -----------------------------------------------------------
case ${1:-} in
  --inside)
    inside "$2" "$3" "$4"
    exit
    ;;
  --smoke)
    smoke "$2"
    exit
    ;;
esac

scratch="" keep=0 dockerfile="$repo/Dockerfile"
while (($#)); do
  case $1 in
    --scratch) scratch=${2:?--scratch needs a folder} keep=1 && shift 2 ;;
    --dockerfile) dockerfile=$(realpath "${2:?--dockerfile needs a file}") && shift 2 ;;
    *) echo "usage: $0 [--scratch DIR] [--dockerfile FILE]" >&2 && exit 2 ;;
  esac
done
[[ -f $dockerfile ]] || df_fail "no Dockerfile at $dockerfile"
[[ $(id -u) -eq 0 ]] || df_fail "needs root (mount and network namespaces, overlayfs, chroot)"
for tool in jq ip unshare chroot dotnet; do
  command -v "$tool" >/dev/null || df_fail "needs $tool"
done
if ((keep)); then
  mkdir -p "$scratch"
  scratch=$(cd "$scratch" && pwd)
  rm -rf "$scratch/context"
else
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/lanes-image.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
fi
started=$SECONDS
df_context "$repo" "$scratch/context"
unshare --mount --propagation private "$self" --inside "$scratch" "$keep" "$dockerfile"
echo "check-build: the Dockerfile built and its image ran ($((SECONDS - started)) s)"
