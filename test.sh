#!/usr/bin/env bash
# Runs the whole test suite from a fresh checkout: installs the Debian tools some tests drive (Prometheus and
# promtool for the metrics tests, jq for the dashboard check, yamllint and Node.js for the Kubernetes manifests,
# iproute2 for the container image check's network namespace) when they are missing, then the validator's npm
# packages, builds, runs every test, and prints one line "N passed, N failed" counted from the test results (TRX files).
set -uo pipefail
cd "$(dirname "$0")" || exit 1

missing=()
for tool in prometheus:prometheus promtool:prometheus jq:jq yamllint:yamllint node:nodejs npm:npm ip:iproute2; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || echo "test.sh: could not install ${missing[*]}; tests that need them will fail" >&2
  else
    echo "test.sh: missing ${missing[*]}; install them (apt-get install ${missing[*]}) or the tests that need them fail" >&2
  fi
fi

# The Kubernetes manifest validator (kubernetes-models) runs from its own locked npm install.
if [[ ! -d deploy/k8s/validate/node_modules ]] && command -v npm >/dev/null 2>&1; then
  npm ci --prefix deploy/k8s/validate --no-audit --no-fund --loglevel=error >/dev/null \
    || echo "test.sh: npm ci for deploy/k8s/validate failed; the manifest test will fail" >&2
fi

results=TestResults
rm -rf "$results"
dotnet test Gateway.sln --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
if ((status == 0 && passed == 0)); then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
