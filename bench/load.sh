#!/usr/bin/env bash
# End-to-end load test of Lanes Gateway on loopback (issue 5). Starts fixed-response nginx backends (baseline and
# gray), the gateway with lanes, the same without the Lanes section, the same with its access log on, plain YARP 2.3
# with no gateway code on the no-lanes config (bench/PlainYarp, target yarp), and an nginx reverse proxy making the
# same lane choice; warms the .NET targets, runs wrk against each in interleaved, repeated rounds, prints medians and ratios.
#
#   bench/load.sh [--quick] [--rounds N] [--duration S] [--warmup S] [--memory-minute S] [--connections C]
#                 [--threads T] [--gateway DLL] [--candidate DLL[:lanes|:nolanes]] [--candidate-env 'VAR=V ...']
#                 [--gateway-env 'VAR=V ...'] [--plain-yarp DLL]
#                 [--out FILE] [--port-base P] [--reload | --no-reload | --only-reload | --only-reload-cycles] [--reload-routes N] [--reload-timeout S]
#                 [--reload-repeats N] [--pace PERCENT] [--burn-ms MS] [--reload-candidate DLL] [--keep-work]
#
# The reload check (on by default, off with --quick unless --reload is given) starts one more gateway, then while wrk
# loads it renames a generated config of --reload-routes routes (each with its cluster and a lane group) over its
# --config file, then the same with one lane edited, then with one route added; it reports how long until each change
# answers and the latency of
# the traffic meanwhile against a run without reload: once with wrk flat out, once paced by h2load at half that rate
# (--pace PERCENT of it, default 50; where installed). The paced run then repeats each change --reload-repeats times (default 8) under one h2load run
# and compares the p99 of the requests started while each change was applied with that of an equally long quiet
# window 1.5 s later in the same run: one window of a few thousand requests is too few to judge by; then, as a yardstick
# for the machine, the same for a busy loop of --burn-ms ms (default 100, 0: none) in a separate process
# (--only-reload-cycles runs just that, after a flat-out control run that sets the rate). --reload-candidate DLL runs
# the same reload check on a second build in the same run, interleaved: each single change goes to one build then the
# other (order swapped from change to change), the repeats in halves A B B A, the pace from the slower build's
# flat-out rate, --candidate-env applied to it too; it ends with a table of both builds' figures and their ratio.
# --keep-work leaves the work directory (configs, gateway logs, load generator output) behind.
#
# Needs: wrk, nginx, curl (Debian: apt-get install -y wrk nginx curl nghttp2-client; h2load is only used by the paced
# reload run), the .NET 10 SDK (to build bench/Gateway.Benchmarks, which writes the gateway configs, and to publish the
# gateway when --gateway is not given). Traffic goes to 127.0.0.1 only; every run is bounded by --duration.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

rounds=5
duration=10
warmup=25
memory_minute=60
connections=32
threads=2
gateway_dll=""
plain_dll=""
candidate=""
gateway_env=""
candidate_env=""
out_file=""
port_base=18100
quick=0
reload=-1
reload_routes=10000
reload_timeout=30
reload_candidate=""
reload_repeats=8
pace=50
burn_ms=100
cycles_only=0
keep_work=0

usage() {
  sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --memory-minute) memory_minute=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --gateway) gateway_dll=$2; shift 2 ;;
    --plain-yarp) plain_dll=$2; shift 2 ;;
    --candidate) candidate=$2; shift 2 ;;
    --gateway-env) gateway_env=$2; shift 2 ;;
    --candidate-env) candidate_env=$2; shift 2 ;;
    --out) out_file=$2; shift 2 ;;
    --port-base) port_base=$2; shift 2 ;;
    --reload) reload=1; shift ;;
    --no-reload) reload=0; shift ;;
    --only-reload) reload=2; shift ;;
    --only-reload-cycles) reload=2; cycles_only=1; shift ;;
    --reload-routes) reload_routes=$2; shift 2 ;;
    --reload-timeout) reload_timeout=$2; shift 2 ;;
    --reload-repeats) reload_repeats=$2; shift 2 ;;
    --reload-candidate) reload_candidate=$2; shift 2 ;;
    --pace) pace=$2; shift 2 ;;
    --burn-ms) burn_ms=$2; shift 2 ;;
    --keep-work) keep_work=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if ! [[ $burn_ms =~ ^[0-9]+$ ]] || ((burn_ms > 1000)); then
  echo "load.sh: --burn-ms takes milliseconds, 0 to 1000 (got '$burn_ms')" >&2
  exit 2
fi
if ! [[ $pace =~ ^[0-9]+$ ]] || ((pace < 1 || pace > 100)); then
  echo "load.sh: --pace takes a percentage of the flat-out rate, 1 to 100 (got '$pace')" >&2
  exit 2
fi
if [[ $quick -eq 1 ]]; then
  rounds=1
  duration=3
  warmup=3
  memory_minute=3
fi
if [[ $reload -eq -1 ]]; then
  reload=$((1 - quick))
fi

for tool in wrk nginx curl awk; do
  command -v "$tool" >/dev/null || { echo "load.sh: '$tool' is not installed (Debian: apt-get install -y wrk nginx curl)" >&2; exit 1; }
done

load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d /tmp/gateway-load.XXXXXX)
chmod 755 "$work"
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $keep_work -eq 1 ]]; then
    echo "load.sh: kept $work (configs, gateway logs, load generator output)" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Ports: backends, the nginx reference, the gateways (public and admin).
base_port=$port_base
gray_port=$((port_base + 1))
nginx_port=$((port_base + 2))
lanes_port=$((port_base + 3))
nolanes_port=$((port_base + 4))
accesslog_port=$((port_base + 5))
candidate_port=$((port_base + 6))
declare -A build_port=([reload]=$((port_base + 7)) [reload_candidate]=$((port_base + 9)))
yarp_port=$((port_base + 8))
admin_base=$((port_base + 50))

# ---------------------------------------------------------------------------------------------------------------
# nginx: backends and the reference proxy, each its own nginx (own prefix, pid and logs in $work, no daemon).
# ---------------------------------------------------------------------------------------------------------------
nginx_common() {
  local name=$1
  cat <<EOF
daemon off;
worker_processes auto;
pid $work/$name/nginx.pid;
error_log $work/$name/error.log warn;
events { worker_connections 4096; }
EOF
}

nginx_http_common() {
  local name=$1
  cat <<EOF
  access_log off;
  client_body_temp_path $work/$name/client_body;
  proxy_temp_path $work/$name/proxy;
  fastcgi_temp_path $work/$name/fastcgi;
  uwsgi_temp_path $work/$name/uwsgi;
  scgi_temp_path $work/$name/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
EOF
}

write_backend_conf() {
  mkdir -p "$work/backends"
  {
    nginx_common backends
    echo "http {"
    nginx_http_common backends
    cat <<EOF
  server {
    listen 127.0.0.1:$base_port;
    location / { default_type text/plain; return 200 "base\n"; }
  }
  server {
    listen 127.0.0.1:$gray_port;
    location / { default_type text/plain; add_header x-served-lane gray; return 200 "gray\n"; }
  }
}
EOF
  } >"$work/backends/nginx.conf"
}

# The reference: the same decision as the gateway's lanes (testers 1001 and 1002 by header, then a sticky 10 % of
# the users by x-user-id), written the way an nginx user would: map + split_clients, the tag stamped in x-mse-tag,
# and the upstream chosen by a map on that tag. Upstream keep-alive is on, as it is in YARP.
write_reference_conf() {
  mkdir -p "$work/reference"
  {
    nginx_common reference
    echo "http {"
    nginx_http_common reference
    cat <<EOF
  upstream base_pool { server 127.0.0.1:$base_port; keepalive 64; }
  upstream gray_pool { server 127.0.0.1:$gray_port; keepalive 64; }
  split_clients "canary\${http_x_user_id}" \$canary_tag { 10% gray; * ""; }
  map \$http_x_user_id \$mse_tag { 1001 gray; 1002 gray; default \$canary_tag; }
  map \$mse_tag \$pool { gray gray_pool; default base_pool; }
  server {
    listen 127.0.0.1:$nginx_port;
    location / {
      proxy_pass http://\$pool;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header x-mse-tag \$mse_tag;
    }
  }
}
EOF
  } >"$work/reference/nginx.conf"
}

start_nginx() {
  local name=$1
  nginx -e "$work/$name/error.log" -p "$work/$name" -c "$work/$name/nginx.conf" &
  pids+=("$!")
  printf -v "${name}_pid" %s "$!"
}

# ---------------------------------------------------------------------------------------------------------------
# Gateway configs: the benchmark program writes them (bench/Gateway.Benchmarks, command config, which the test suite
# checks): lanes and nolanes, one route to a cluster with a baseline and a gray destination, with and without lanes;
# big, big-edit and big-add for the reload check (see reload_test).
# ---------------------------------------------------------------------------------------------------------------
# gateway_config NAME FILE: writes config NAME for this run's backends into FILE.
gateway_config() {
  dotnet "$configs_dll" config "$1" --base-port "$base_port" --gray-port "$gray_port" --routes "$reload_routes" >"$2"
}

gateway_env_args=()
if [[ -n $gateway_env ]]; then
  read -ra gateway_env_args <<<"$gateway_env"
fi
candidate_env_args=()
if [[ -n $candidate_env ]]; then
  read -ra candidate_env_args <<<"$candidate_env"
fi

# start_gateway NAME DLL CONFIG PORT ADMIN_PORT ACCESS_LOG(0|1)
start_gateway() {
  local name=$1 dll=$2 config=$3 port=$4 admin=$5 access=$6 level=Warning out="$work/$1.log"
  local extra=("${gateway_env_args[@]}")
  if [[ $name == candidate || $name == reload_candidate ]]; then
    extra+=("${candidate_env_args[@]}")
  fi
  if [[ $access -eq 1 ]]; then
    level=Information
    out=/dev/null
  fi
  env "${extra[@]}" dotnet "$dll" --config "$config" --urls "http://127.0.0.1:$port" \
    --Admin:Urls "http://127.0.0.1:$admin" --Logging:LogLevel:Gateway.AccessLog="$level" >"$out" 2>"$work/$name.err" &
  pids+=("$!")
  printf -v "${name}_pid" %s "$!"
}

wait_http() {
  local url=$1 i
  for i in $(seq 1 200); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "load.sh: $url did not answer" >&2
  return 1
}

# expect URL USER BODY: the target sends that user to the expected backend.
expect() {
  local url=$1 user=$2 want=$3 got
  got=$(curl -fsS -H "x-user-id: $user" "$url/check")
  if [[ $got != "$want" ]]; then
    echo "load.sh: $url sent user $user to '$got', expected '$want'" >&2
    exit 1
  fi
}

# CPU ticks (utime+stime) of a process and its direct children (nginx workers), from /proc/<pid>/stat.
cpu_ticks() {
  local root=$1 total=0 stat stat_line rest pid ppid ut st
  for stat in /proc/[0-9]*/stat; do
    # A process can end between the glob and the read; the braces make 2>/dev/null cover the failed redirection.
    { read -r stat_line <"$stat"; } 2>/dev/null || continue
    pid=${stat_line%% *}
    rest=${stat_line##*) }
    read -r _ ppid _ _ _ _ _ _ _ _ _ ut st _ <<<"$rest"
    if [[ $pid == "$root" || $ppid == "$root" ]]; then
      total=$((total + ut + st))
    fi
  done
  echo "$total"
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# The request stream: 1,000 users (1000..1999) in turn, each request carrying x-user-id; so testers 1001/1002 and a
# sticky ~10 % go to gray. Requests are formatted once, in init, so wrk's Lua costs the same for every target.
cat >"$work/users.lua" <<'EOF'
local requests = {}
local n = 0
function init(args)
  for i = 1000, 1999 do
    n = n + 1
    requests[n] = wrk.format("GET", "/api/orders", { ["x-user-id"] = tostring(i) })
  end
end
local k = 0
function request()
  k = k % n + 1
  return requests[k]
end
function done(summary, latency, requests)
  io.write(string.format("tail_us p99.9 %d p99.99 %d max %d\n", latency:percentile(99.9), latency:percentile(99.99), latency.max))
end
EOF

to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { printf "%s", v } }'
}

results="$work/results.tsv"
printf 'round\ttarget\trps\tp50_ms\tp99_ms\tcpu_us_per_req\tbackend_cpu_us_per_req\terrors\n' >"$results"
clk_tck=$(getconf CLK_TCK)

# measure ROUND TARGET URL PROXY_PID SECONDS: one wrk run; appends a results line.
measure() {
  local round=$1 target=$2 url=$3 proxy_pid=$4 seconds=$5 out cpu0 cpu1 b0 b1 reqs rps p50 p99 errors cpu bcpu
  out="$work/wrk-$round-$target.txt"
  cpu0=0
  [[ $proxy_pid != "-" ]] && cpu0=$(cpu_ticks "$proxy_pid")
  b0=$(cpu_ticks "$backends_pid")
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$work/users.lua" "$url" >"$out" 2>&1
  b1=$(cpu_ticks "$backends_pid")
  cpu1=0
  [[ $proxy_pid != "-" ]] && cpu1=$(cpu_ticks "$proxy_pid")
  reqs=$(awk '/requests in/ { print $1 }' "$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
  errors=$(awk '/Non-2xx|Socket errors/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { gsub(",", "", $i); s += $i } } END { print s + 0 }' "$out")
  cpu=$(awk -v d=$((cpu1 - cpu0)) -v r="$reqs" -v t="$clk_tck" -v p="$proxy_pid" 'BEGIN { if (p == "-" || r == 0) print "-"; else printf "%.1f", d / t / r * 1e6 }')
  bcpu=$(awk -v d=$((b1 - b0)) -v r="$reqs" -v t="$clk_tck" 'BEGIN { if (r == 0) print "-"; else printf "%.1f", d / t / r * 1e6 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$target" "$rps" "$p50" "$p99" "$cpu" "$bcpu" "$errors" >>"$results"
  log "round $round $target: $rps req/s, p50 $p50 ms, p99 $p99 ms, proxy CPU $cpu us/req, errors $errors"
}

# warm URL SECONDS: unmeasured load, so JIT tiering has settled before anything is counted.
warm() {
  wrk -t"$threads" -c"$connections" -d"${2}s" -s "$work/users.lua" "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------------------------------------------
# Start everything.
# ---------------------------------------------------------------------------------------------------------------
# publish PROJECT DIR: as the Dockerfile publishes the gateway (ReadyToRun, framework-dependent), into DIR.
publish() {
  log "publishing $1 (Release, ReadyToRun) into $2"
  dotnet publish "$repo_root/$1" -c Release -o "$2" -r "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')" \
    --self-contained false -p:PublishReadyToRun=true --nologo -v quiet >"$2.log" 2>&1 \
    || { cat "$2.log" >&2; exit 1; }
}
if [[ -z $gateway_dll ]]; then
  publish src/Gateway.Host "$work/pub"
  gateway_dll="$work/pub/Gateway.Host.dll"
fi
if [[ -z $plain_dll ]]; then
  publish bench/PlainYarp "$work/plain"
  plain_dll="$work/plain/PlainYarp.dll"
fi
log "building bench/Gateway.Benchmarks (Release), which writes the gateway configs"
dotnet build "$repo_root/bench/Gateway.Benchmarks" -c Release --nologo -v quiet >"$work/configs-build.log" 2>&1 \
  || { cat "$work/configs-build.log" >&2; exit 1; }
configs_dll="$repo_root/bench/Gateway.Benchmarks/bin/Release/net10.0/Gateway.Benchmarks.dll"

write_backend_conf
write_reference_conf
gateway_config lanes "$work/lanes.json"
gateway_config nolanes "$work/nolanes.json"
backends_pid=""
reference_pid=""
start_nginx backends
start_nginx reference
wait_http "http://127.0.0.1:$base_port/"
wait_http "http://127.0.0.1:$gray_port/"
wait_http "http://127.0.0.1:$nginx_port/"

lanes_pid=""
nolanes_pid=""
accesslog_pid=""
candidate_pid=""
start_gateway lanes "$gateway_dll" "$work/lanes.json" "$lanes_port" "$admin_base" 0
wait_http "http://127.0.0.1:$lanes_port/"
rss_start=$(rss_kib "$lanes_pid")
start_gateway nolanes "$gateway_dll" "$work/nolanes.json" "$nolanes_port" $((admin_base + 1)) 0
start_gateway accesslog "$gateway_dll" "$work/lanes.json" "$accesslog_port" $((admin_base + 2)) 1
wait_http "http://127.0.0.1:$nolanes_port/"
wait_http "http://127.0.0.1:$accesslog_port/"
# Plain YARP gets the same ReverseProxy section (with no lane code it balances over both destinations) and, like every
# gateway, the --gateway-env settings, so a runtime setting is compared like for like.
env "${gateway_env_args[@]}" dotnet "$plain_dll" --config "$work/nolanes.json" --urls "http://127.0.0.1:$yarp_port" \
  >"$work/yarp.log" 2>"$work/yarp.err" &
pids+=("$!")
yarp_pid=$!
wait_http "http://127.0.0.1:$yarp_port/"
targets=(lanes nolanes accesslog yarp direct nginx)
if [[ -n $candidate ]]; then
  candidate_dll=${candidate%%:*}
  candidate_config=lanes
  [[ $candidate == *:* ]] && candidate_config=${candidate##*:}
  start_gateway candidate "$candidate_dll" "$work/$candidate_config.json" "$candidate_port" $((admin_base + 3)) 0
  wait_http "http://127.0.0.1:$candidate_port/"
  targets+=(candidate)
fi

declare -A url pid_of
url[lanes]="http://127.0.0.1:$lanes_port"
url[nolanes]="http://127.0.0.1:$nolanes_port"
url[accesslog]="http://127.0.0.1:$accesslog_port"
url[yarp]="http://127.0.0.1:$yarp_port"
url[direct]="http://127.0.0.1:$base_port"
url[nginx]="http://127.0.0.1:$nginx_port"
url[candidate]="http://127.0.0.1:$candidate_port"
pid_of[lanes]=$lanes_pid
pid_of[nolanes]=$nolanes_pid
pid_of[accesslog]=$accesslog_pid
pid_of[yarp]=$yarp_pid
pid_of[direct]="-"
pid_of[nginx]=$reference_pid
pid_of[candidate]=${candidate_pid:--}

# The lane choice is the same everywhere: testers to gray, user 1000 (not in the canary's 10 %) to the baseline.
for t in lanes accesslog nginx; do
  expect "${url[$t]}" 1001 gray
  expect "${url[$t]}" 1000 base
done
expect "${url[nolanes]}" 1001 base
rss_start_nolanes=$(rss_kib "$nolanes_pid")

log "work dir $work; gateway $gateway_dll; plain YARP $plain_dll; ${gateway_env:+env $gateway_env; }${candidate:+candidate $candidate ${candidate_env:+(env $candidate_env)}; }$connections connections, $threads wrk threads"
log "lanes gateway VmRSS after start: $rss_start KiB"

if [[ $reload -ne 2 ]]; then
# Memory: two "minutes" of load on the lanes gateway (this is also its warm-up).
warm "${url[lanes]}" "$memory_minute"
rss_1=$(rss_kib "$lanes_pid")
log "lanes gateway VmRSS after ${memory_minute}s of load: $rss_1 KiB"
warm "${url[lanes]}" "$memory_minute"
rss_2=$(rss_kib "$lanes_pid")
log "lanes gateway VmRSS after $((2 * memory_minute))s of load: $rss_2 KiB"

for t in nolanes accesslog yarp candidate; do
  if [[ " ${targets[*]} " == *" $t "* ]]; then
    log "warming $t for ${warmup}s"
    warm "${url[$t]}" "$warmup"
  fi
done
# A short warm of the others, so their connections exist before the first measured run.
warm "${url[nginx]}" 2
warm "${url[direct]}" 2

# ---------------------------------------------------------------------------------------------------------------
# Rounds: every target once per round, the order rotated from round to round.
# ---------------------------------------------------------------------------------------------------------------
n=${#targets[@]}
for ((round = 1; round <= rounds; round++)); do
  for ((i = 0; i < n; i++)); do
    t=${targets[$(((i + round - 1) % n))]}
    measure "$round" "$t" "${url[$t]}" "${pid_of[$t]}" "$duration"
  done
done

rss_end=$(rss_kib "$lanes_pid")
fi

# ---------------------------------------------------------------------------------------------------------------
# Reload: a gateway on its own config file; while wrk loads it, a config of $reload_routes routes is renamed over the
# file (grow), then the same with one lane edited (edit). Applied = the change answers (probe); latency from wrk.
# ---------------------------------------------------------------------------------------------------------------

# now_ms: milliseconds since the epoch, without starting a process (bash 5's EPOCHREALTIME).
now_ms() { local t=${EPOCHREALTIME/[^0-9]/}; echo $((t / 1000)); }

# probe PATH EXPECT: true when the reload gateway's answer to user 1000 for PATH has a line matching EXPECT
# (case-insensitive). Plain bash over /dev/tcp: curl started every 20 ms while a reload is timed cost enough CPU on
# a 2-core machine to show up in the very latency being measured, and a control run has no probe to compare with.
probe() {
  local path=$1 expect=$2 fd line found=1
  # The braces keep 2>/dev/null to the connect: on a bare exec it would stay, and every later log line would be lost.
  { exec {fd}<>"/dev/tcp/127.0.0.1/$reload_port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nx-user-id: 1000\r\nConnection: close\r\n\r\n' "$path" >&"$fd"
  shopt -s nocasematch
  while IFS= read -r -t 5 -u "$fd" line || [[ -n $line ]]; do
    [[ ${line%$'\r'} =~ $expect ]] && found=0
    line=""
  done
  shopt -u nocasematch
  exec {fd}>&-
  return $found
}

# wrk_tail FILE: "p99 ms, p99.9 ms, max ms" of a wrk run (p99 from --latency, the rest from the script's done()).
wrk_tail() {
  local p99
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$1")")
  awk -v p99="$p99" '/^tail_us/ { printf "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms", p99, $3 / 1000, $7 / 1000 }' "$1"
}

# paced_tail FILE [FROM_MS TO_MS]: "N req, p99 ms, max ms" of an h2load --log-file (start time in us since the
# epoch, status, duration in us), over all requests or those started between FROM_MS and TO_MS.
paced_tail() {
  awk -v from="${2:-0}" -v to="${3:-0}" '(to == 0 || ($1 / 1000 >= from && $1 / 1000 <= to)) { print $3 }' "$1" | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) { printf "no requests"; exit }
             i = int(NR * 0.99); if (i < 1) i = 1
             printf "%d req, p99 %.2f ms, max %.2f ms", NR, v[i] / 1000, v[NR] / 1000 }'
}

# use_build NAME: points the reload check (put_config, probe, the load generators, file and log names) at one build's
# gateway: reload (--gateway) or reload_candidate (--reload-candidate), each with its own port and config file.
use_build() {
  build=$1
  reload_port=${build_port[$1]}
  reload_url="http://127.0.0.1:$reload_port"
  reload_dir="$work/$1"
  build_label=""
  if ((${#builds[@]} == 2)); then
    build_label="${build_name[$1]}: "
  fi
}

# build_order I: the builds, the other way round for odd I, so that neither build always goes first.
build_order() {
  if ((${#builds[@]} == 2 && $1 % 2)); then
    echo "${builds[1]} ${builds[0]}"
  else
    echo "${builds[*]}"
  fi
}

# record SERIES CHANGE APPLIED_MS P99_MS [QUIET_P99_MS]: one line of the builds' comparison (reload.tsv).
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$build" "$3" "${4:--}" "${5:--}" >>"$work/reload.tsv"
}

# put_config FILE: renames a copy of FILE over the watched config of the build in use, as an editor or a ConfigMap
# update would; sets put_at to the time of the rename (ms).
put_config() {
  cp "$1" "$reload_dir/gateway.json.tmp"
  put_at=$(now_ms)
  mv "$reload_dir/gateway.json.tmp" "$reload_dir/gateway.json"
}

# await_change PROBE_PATH EXPECT T0 LIMIT_MS: probes every 20 ms until the change answers (see probe) or LIMIT_MS after
# T0; sets applied_ms to the time from T0 until it answered, or -1.
await_change() {
  local probe_path=$1 expect=$2 t0=$3 limit=$4 pause
  applied_ms=-1
  exec {pause}<> <(:)
  while (($(now_ms) - t0 < limit)); do
    if probe "$probe_path" "$expect"; then
      applied_ms=$(($(now_ms) - t0))
      break
    fi
    read -r -t 0.02 -u "$pause" || true
  done
  exec {pause}>&-
}

# reload_phase NAME NEW_CONFIG PROBE_PATH [RATE] [EXPECT]: load for 15 s (wrk flat out, or h2load at RATE requests/s
# per connection when given); after 3 s, rename NEW_CONFIG over the watched file and probe until the change answers
# (a line of the response to user 1000 matches EXPECT, by default the body "gray") or the timeout; sets applied_ms (-1
# when it never did), phase_summary and phase_p99 (paced: of the requests started while reloading, if it did; else
# of the whole run).
reload_phase() {
  local name=$1 new=$2 probe=$3 rate=${4:-} expect=${5:-^gray$} t0 window=15 load_pid out="$work/$build-$1"
  if [[ -n $rate ]]; then
    h2load --h1 -c"$connections" --rps="$rate" -D"$window" -H 'x-user-id: 1500' --log-file="$out.log" \
      "$reload_url/api/orders" >"$out.txt" 2>&1 &
  else
    wrk -t"$threads" -c"$connections" -d"${window}s" --latency -s "$work/users.lua" "$reload_url" >"$out.txt" 2>&1 &
  fi
  load_pid=$!
  pids+=("$load_pid")
  sleep 3
  applied_ms=-1
  if [[ -n $new ]]; then
    put_config "$new"
    t0=$put_at
    await_change "$probe" "$expect" "$t0" $((reload_timeout * 1000))
  fi
  wait "$load_pid" || true
  if [[ -n $rate ]]; then
    phase_summary="whole run $(paced_tail "$out.log")"
    if [[ $applied_ms -ge 0 ]]; then
      phase_summary+="; started while reloading $(paced_tail "$out.log" "$t0" $((t0 + applied_ms)))"
    fi
  else
    phase_summary=$(wrk_tail "$out.txt")
  fi
  phase_p99=$(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$phase_summary")
  if [[ -z $new ]]; then
    log "${build_label}reload $name: no reload; traffic: $phase_summary"
  elif [[ $applied_ms -ge 0 ]]; then
    log "${build_label}reload $name: applied after $applied_ms ms; traffic meanwhile: $phase_summary"
  else
    log "${build_label}reload $name: not applied within ${reload_timeout}s; traffic meanwhile: $phase_summary"
  fi
}

# sleep_until MS: sleeps until that time (ms since the epoch), at once if it has passed.
sleep_until() {
  local left=$(($1 - $(now_ms)))
  if ((left > 0)); then
    sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
  fi
}

# window_p99 FILE FROM_MS TO_MS: the p99 in ms of the requests of an h2load --log-file started in [FROM_MS, TO_MS].
window_p99() {
  paced_tail "$1" "$2" "$3" | sed -n 's/.* p99 \([0-9.]*\) ms.*/\1/p'
}

# median_of "V V ...": the median of the numbers (the lower middle one for an even count) and their range.
median_of() {
  tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f ms (%.1f-%.1f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# windows_summary LOG WHAT "FROM TO QFROM QTO"...: the median (and range) of the p99 of the requests of an h2load
# --log-file started in each window [FROM, TO] and in its quiet window [QFROM, QTO], and the ratio of the two medians;
# sets windows_text, and during_med and quiet_med to the two medians.
windows_summary() {
  local log_file=$1 what=$2 w a b c d during="" quiet="" during_median quiet_median
  shift 2
  for w in "$@"; do
    read -r a b c d <<<"$w"
    during+=" $(window_p99 "$log_file" "$a" "$b")"
    quiet+=" $(window_p99 "$log_file" "$c" "$d")"
  done
  during_median=$(median_of "$during")
  quiet_median=$(median_of "$quiet")
  during_med=${during_median%% *}
  quiet_med=${quiet_median%% *}
  windows_text="p99 while $what $during_median, of quiet windows $quiet_median: $(awk -v r="$during_med" -v q="$quiet_med" 'BEGIN { printf "%.2f", (q > 0 ? r / q : 0) }') x"
}

# start_cycles_load LOG RATE PERIOD COUNT: starts one h2load run at RATE long enough for COUNT periods (log in LOG),
# sets load_pid and lets it get going.
start_cycles_load() {
  h2load --h1 -c"$connections" --rps="$2" -D$(($4 * $3 + 4)) -H 'x-user-id: 1500' \
    --log-file="$1" "$reload_url/api/orders" >"${1%.log}.txt" 2>&1 &
  load_pid=$!
  pids+=("$load_pid")
  sleep 3
}

# burn_cycles MS RATE PERIOD: one h2load run at RATE; every PERIOD seconds a busy loop of MS ms in a separate process
# (bash, no memory traffic, nothing to do with the gateway), compared like a reload with a window as long 1.5 s
# later. Shows what any MS ms of CPU costs the traffic on this machine. Sets cycles_summary.
burn_cycles() {
  local ms=$1 rate=$2 period=$3 i t0 windows=()
  start_cycles_load "$work/cycles-burn.log" "$rate" "$period" "$reload_repeats"
  for ((i = 0; i < reload_repeats; i++)); do
    t0=$(now_ms)
    timeout "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))" bash -c 'while :; do :; done' || true
    windows+=("$t0 $((t0 + ms)) $((t0 + 1500)) $((t0 + 1500 + ms))")
    sleep_until $((t0 + period * 1000))
  done
  wait "$load_pid" || true
  windows_summary "$work/cycles-burn.log" burning "${windows[@]}"
  cycles_summary=$windows_text
  log "burn cycles: $cycles_summary"
}

# reload_cycles NAME FROM TO PROBE EXPECT RATE PERIOD: under h2load at RATE, every PERIOD seconds renames TO over the
# watched file (the file holds FROM), probes until the change answers (at most PERIOD - 2 s), takes a quiet window as
# long as that from 1.5 s after the change (or 0.5 s after it answered, if later), then renames FROM back and lets it
# settle; --reload-repeats times per build, under one h2load run, or with two builds two runs of half as many each,
# in the order A B B A (B A A B for the next call), so that drift over the run hits both. Sets cycles_summary: per build the median (and range)
# of the time to apply, of the p99 of the requests started while applying and of the p99 of the quiet windows, and
# the ratio of the two p99 medians.
reload_cycles() {
  local name=$1 from=$2 to=$3 probe_path=$4 expect=$5 rate=$6 period=$7 i t0 quiet block b count part=0 applied summary
  local -A times missed spans
  local plan=("${builds[0]} $reload_repeats") w=() order
  if ((${#builds[@]} == 2)); then
    # A B B A, then B A A B for the next change kind.
    read -ra order <<<"$(build_order "$cycles_run")"
    plan=("${order[0]} $(((reload_repeats + 1) / 2))" "${order[1]} $(((reload_repeats + 1) / 2))"
      "${order[1]} $((reload_repeats / 2))" "${order[0]} $((reload_repeats / 2))")
  fi
  cycles_run=$((cycles_run + 1))
  for block in "${plan[@]}"; do
    read -r b count <<<"$block"
    ((count > 0)) || continue
    use_build "$b"
    part=$((part + 1))
    put_config "$from"
    sleep 3
    start_cycles_load "$work/$b-cycles-$name-$part.log" "$rate" "$period" "$count"
    for ((i = 0; i < count; i++)); do
      put_config "$to"
      t0=$put_at
      await_change "$probe_path" "$expect" "$t0" $(((period - 2) * 1000))
      quiet=$t0
      if ((applied_ms < 0)); then
        missed[$b]=$((${missed[$b]:-0} + 1))
      else
        times[$b]+=" $applied_ms"
        quiet=$((t0 + (applied_ms + 500 > 1500 ? applied_ms + 500 : 1500)))
        spans[$b]+="$t0 $((t0 + applied_ms)) $quiet $((quiet + applied_ms))"$'\n'
      fi
      # The quiet window must end before FROM goes back: that is a change too.
      sleep_until $((quiet + (applied_ms > 0 ? applied_ms : 0) + 200))
      put_config "$from"
      sleep_until $((t0 + period * 1000))
    done
    wait "$load_pid" || true
    cat "$work/$b-cycles-$name-$part.log" >>"$work/$b-cycles-$name.log"
  done
  cycles_summary=""
  for b in "${builds[@]}"; do
    use_build "$b"
    if [[ -z ${times[$b]:-} ]]; then
      summary="never applied within $((period - 2)) s (${missed[$b]:-0} times)"
      record cycles "$name" -1
    else
      mapfile -t w <<<"${spans[$b]%$'\n'}"
      windows_summary "$work/$b-cycles-$name.log" applying "${w[@]}"
      applied=$(median_of "${times[$b]}")
      summary="applied after $applied; $windows_text"
      if ((${missed[$b]:-0} > 0)); then
        summary+="; ${missed[$b]} not applied within $((period - 2)) s"
      fi
      record cycles "$name" "${applied%% *}" "$during_med" "$quiet_med"
    fi
    log "${build_label}reload cycles $name: $summary"
    cycles_summary+="${cycles_summary:+$'\n'      }$build_label$summary"
  done
}

# reload_series LABEL [RATE]: control run, grow 1 -> N+1 routes, edit one lane, add one route, each on every build in
# turn (see build_order); edit and add only where the grow applied; appends to reload_summary.
reload_series() {
  local label=$1 rate=${2:-} series=flat first=0 i change b text
  local -A grown
  # The paced series starts with the other build, so that each build goes first once in each change kind.
  if [[ -n $rate ]]; then
    series=paced
    first=1
  fi
  reload_summary+="
  $label"
  for i in "${!changes[@]}"; do
    change=${changes[i]}
    for b in $(build_order $((i + first))); do
      use_build "$b"
      if [[ $change == control ]]; then
        reload_phase "control$rate" "" "" "$rate"
        text=$phase_summary
        record "$series" control - "$phase_p99"
      elif [[ $change != grow && -z ${grown[$b]:-} ]]; then
        text="not run"
      else
        reload_phase "$change$rate" "$work/${change_file[$change]}" "${change_probe[$change]}" "$rate" "${change_expect[$change]}"
        text="NOT applied within ${reload_timeout}s"
        if ((applied_ms >= 0)); then
          text="applied after $applied_ms ms"
          grown[$b]=1
        fi
        text+="; traffic: $phase_summary"
        record "$series" "$change" "$applied_ms" "$phase_p99"
      fi
      reload_summary+="
    ${change_text[$change]} $build_label$text"
    done
  done
}

# compare_builds: the figures of both builds side by side, from reload.tsv, with the ratio gateway / candidate.
compare_builds() {
  echo
  echo "  Both builds in this run (gateway: $gateway_dll; candidate: $reload_candidate); ratio = gateway / candidate; ms"
  echo
  awk -F'\t' -v repeats="$reload_repeats" '
    function num(v) { return v ~ /^[0-9]+(\.[0-9]+)?$/ }
    function shown(v) { return num(v) ? v : "-" }
    function ratio(x, y) { return (num(x) && num(y) && y > 0) ? sprintf("%.2f", x / y) : "-" }
    BEGIN {
      name["flat"] = "flat out (p99 of the 15 s run)"
      name["paced"] = "paced (p99 of the requests started while applying; control: whole run)"
      name["cycles"] = "paced, " repeats " repeats (medians; p99 while applying, of quiet windows)"
      print "| series | change | applied: gateway | candidate | ratio | p99: gateway | candidate | ratio | quiet p99: gateway | candidate |"
      print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    }
    {
      key = $1 SUBSEP $2
      if (!(key in seen)) { seen[key] = 1; order[++n] = key; s[n] = $1; c[n] = $2 }
      a[key, $3] = $4; p[key, $3] = $5; q[key, $3] = $6
    }
    END {
      for (i = 1; i <= n; i++) {
        k = order[i]; g = "reload"; r = "reload_candidate"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", name[s[i]], c[i], shown(a[k, g]), shown(a[k, r]), ratio(a[k, g], a[k, r]),
          shown(p[k, g]), shown(p[k, r]), ratio(p[k, g], p[k, r]), shown(q[k, g]), shown(q[k, r])
      }
    }' "$work/reload.tsv" | sed 's/^/  /'
}

reload_summary=""
cycles_run=0
builds=(reload)
if [[ -n $reload_candidate ]]; then
  builds+=(reload_candidate)
fi
declare -A build_name=([reload]=gateway [reload_candidate]=candidate)
changes=(control grow edit add)
declare -A change_file=([grow]=big.json [edit]=big-edit.json [add]=big-add.json)
declare -A change_probe=([grow]="/r$((reload_routes - 1))/x" [edit]=/api/orders [add]=/added/x)
declare -A change_expect=([grow]='^gray$' [edit]='^gray$' [add]='^x-added: yes$')
declare -A change_text=([control]="control (no reload):           " [grow]="grow 1 -> $((reload_routes + 1)) routes:      "
  [edit]="edit one lane of the big config:" [add]="add one route to the big config:")

reload_test() {
  local b pid_var rps saturated_rps="" rate
  local -A dll=([reload]=$gateway_dll [reload_candidate]=$reload_candidate) admin=([reload]=$((admin_base + 4)) [reload_candidate]=$((admin_base + 5))) rss_before
  gateway_config big "$work/big.json"
  gateway_config big-edit "$work/big-edit.json"
  gateway_config big-add "$work/big-add.json"
  for b in "${builds[@]}"; do
    use_build "$b"
    mkdir -p "$reload_dir"
    cp "$work/lanes.json" "$reload_dir/gateway.json"
    start_gateway "$b" "${dll[$b]}" "$reload_dir/gateway.json" "$reload_port" "${admin[$b]}" 0
  done
  for b in "${builds[@]}"; do
    use_build "$b"
    wait_http "$reload_url/"
    log "${build_label}reload: warming a fresh gateway for ${warmup}s; config of $reload_routes routes is $(($(stat -c %s "$work/big.json") / 1024)) KiB"
    warm "$reload_url" "$warmup"
    pid_var=${b}_pid
    rss_before[$b]=$(rss_kib "${!pid_var}")
  done
  reload_summary="Reload ($reload_routes routes, each with a cluster and a 2-lane group; applied = the probe sees the change):"
  if ((cycles_only)); then
    for b in "${builds[@]}"; do
      use_build "$b"
      reload_phase control "" ""
      record flat control - "$phase_p99"
      reload_summary+="
  flat out (wrk, $connections connections, no spare CPU): ${build_label}control (no reload) $phase_summary"
    done
  else
    reload_series "flat out (wrk, $connections connections, no spare CPU):"
  fi
  # The same pace for every build: that of the slower one.
  for b in "${builds[@]}"; do
    rps=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$work/$b-control.txt")
    if [[ -z $saturated_rps ]] || ((rps < saturated_rps)); then
      saturated_rps=$rps
    fi
  done
  if command -v h2load >/dev/null; then
    # Back to the small config, then the same at --pace % of the flat-out rate: traffic with headroom, as gateways run.
    for b in "${builds[@]}"; do
      use_build "$b"
      put_config "$work/lanes.json"
    done
    sleep 3
    rate=$((saturated_rps * pace / 100 / connections))
    ((cycles_only)) || reload_series "paced at $pace % of that rate (h2load, $((rate * connections)) req/s; p99 of all requests and of those started while reloading):" "$rate"
    if ((reload_repeats > 0)); then
      reload_summary+="
  paced at $pace % of the flat-out rate ($((rate * connections)) req/s), each change $reload_repeats times under one h2load run (medians and ranges; p99 of the requests started while
  applying against an equally long quiet window 1.5 s later):"
      reload_cycles grow "$work/lanes.json" "$work/big.json" "${change_probe[grow]}" "${change_expect[grow]}" "$rate" 9
      reload_summary+="
    ${change_text[grow]} $cycles_summary"
      reload_cycles edit "$work/big.json" "$work/big-edit.json" "${change_probe[edit]}" "${change_expect[edit]}" "$rate" 5
      reload_summary+="
    ${change_text[edit]} $cycles_summary"
      reload_cycles add "$work/big-edit.json" "$work/big-add.json" "${change_probe[add]}" "${change_expect[add]}" "$rate" 5
      reload_summary+="
    ${change_text[add]} $cycles_summary"
      if ((burn_ms > 0)); then
        use_build reload
        burn_cycles "$burn_ms" "$rate" 3
        reload_summary+="
    no reload: a ${burn_ms} ms busy loop in another process: $cycles_summary"
      fi
    fi
  else
    reload_summary+="
  (h2load not installed: apt-get install -y nghttp2-client; paced run skipped)"
  fi
  for b in "${builds[@]}"; do
    use_build "$b"
    pid_var=${b}_pid
    reload_summary+="
  ${build_label:-gateway }VmRSS before $((rss_before[$b] / 1024)) MiB, after $(($(rss_kib "${!pid_var}") / 1024)) MiB"
    kill "${!pid_var}" 2>/dev/null || true
  done
  if ((${#builds[@]} == 2)); then
    reload_summary+="
$(compare_builds)"
  fi
}

if [[ $reload -ge 1 ]]; then
  reload_test
fi
if [[ $reload -eq 2 ]]; then
  echo "$reload_summary" | tee "${out_file:-/dev/null}"
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------
# Report: medians over rounds, and medians of the ratios taken within each round.
# ---------------------------------------------------------------------------------------------------------------
report() {
  awk -F'\t' -v targets="${targets[*]}" '
    function median(list,    a, k, tmp, i, j) {
      k = split(list, a, " ")
      if (k == 0) return "-"
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
      return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    NR == 1 { next }
    {
      r = $1; t = $2
      rps[r, t] = $3; p50[r, t] = $4; p99[r, t] = $5; cpu[r, t] = $6; bcpu[r, t] = $7; err[t] += $8
      rounds[r] = 1
    }
    END {
      nt = split(targets, ts, " ")
      printf "\nMedians over %d round(s)\n\n", length(rounds)
      printf "| target | req/s | p50 ms | p99 ms | proxy CPU us/req | backend CPU us/req | errors |\n"
      printf "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
      for (i = 1; i <= nt; i++) {
        t = ts[i]; lr = ""; l50 = ""; l99 = ""; lc = ""; lb = ""
        for (r in rounds) { lr = lr " " rps[r, t]; l50 = l50 " " p50[r, t]; l99 = l99 " " p99[r, t]; if (cpu[r, t] != "-") lc = lc " " cpu[r, t]; lb = lb " " bcpu[r, t] }
        printf "| %s | %.0f | %.3f | %.3f | %s | %s | %d |\n", t, median(lr), median(l50), median(l99), (lc == "" ? "-" : sprintf("%.1f", median(lc))), sprintf("%.1f", median(lb)), err[t]
      }
      printf "\nRatios within each round (median over rounds; min-max in brackets)\n\n"
      printf "| ratio | req/s | p99 | proxy CPU/req |\n| --- | ---: | ---: | ---: |\n"
      npairs = split("lanes/nolanes accesslog/lanes lanes/yarp nolanes/yarp lanes/nginx nolanes/nginx yarp/nginx lanes/direct candidate/lanes candidate/nolanes candidate/yarp", pairs, " ")
      for (p = 1; p <= npairs; p++) {
        split(pairs[p], ab, "/"); a = ab[1]; b = ab[2]
        lr = ""; l99 = ""; lc = ""; minr = 1e9; maxr = 0; min99 = 1e9; max99 = 0; minc = 1e9; maxc = 0; seen = 0
        for (r in rounds) {
          if (!((r, a) in rps) || !((r, b) in rps) || rps[r, b] == 0) continue
          seen = 1
          x = rps[r, a] / rps[r, b]; lr = lr " " x; if (x < minr) minr = x; if (x > maxr) maxr = x
          y = p99[r, a] / p99[r, b]; l99 = l99 " " y; if (y < min99) min99 = y; if (y > max99) max99 = y
          if (cpu[r, a] != "-" && cpu[r, b] != "-" && cpu[r, b] > 0) { z = cpu[r, a] / cpu[r, b]; lc = lc " " z; if (z < minc) minc = z; if (z > maxc) maxc = z }
        }
        if (!seen) continue
        printf "| %s | %.3f [%.3f-%.3f] | %.3f [%.3f-%.3f] | %s |\n", pairs[p], median(lr), minr, maxr, median(l99), min99, max99, (lc == "" ? "-" : sprintf("%.3f [%.3f-%.3f]", median(lc), minc, maxc))
      }
    }' "$results"
}

{
  echo
  echo "Lanes Gateway load test: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average at start: $load_at_start; rounds=$rounds duration=${duration}s connections=$connections threads=$threads warmup=${warmup}s${gateway_env:+ env: $gateway_env}${candidate:+; candidate: $candidate${candidate_env:+ (env $candidate_env)}}"
  report
  echo
  echo "Lanes gateway working set (VmRSS): after start $((rss_start / 1024)) MiB (no-lanes gateway $((rss_start_nolanes / 1024)) MiB);" \
    "after ${memory_minute}s of load at $connections connections $((rss_1 / 1024)) MiB; after $((2 * memory_minute))s $((rss_2 / 1024)) MiB;" \
    "after the rounds $((rss_end / 1024)) MiB"
  if [[ -n $reload_summary ]]; then
    echo
    echo "$reload_summary"
  fi
} | tee "${out_file:-/dev/null}"
if [[ -n $out_file ]]; then
  cp "$results" "${out_file%.*}.tsv"
fi
