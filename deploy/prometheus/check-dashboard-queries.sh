#!/usr/bin/env bash
# Checks that every PromQL expression in deploy/grafana/lanes-dashboard.json parses and
# only uses the gateway's metric contract.
#
# For each panel target `expr` and each query template variable (label_values(EXPR, label)
# and query_result(EXPR) are reduced to EXPR), the Grafana variables are substituted
# ($route and $lane -> .*, $__rate_interval/$__interval/$__range -> 1m), the result is
# written to a temporary rules file as a recording rule and `promtool check rules` parses it.
# Any other variable, an unknown metric name or label name, or a parse error fails the check.
#
# Usage: deploy/prometheus/check-dashboard-queries.sh   (no arguments; needs jq and promtool)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dashboard="${here}/../grafana/lanes-dashboard.json"

for tool in jq promtool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool is required (Debian: apt-get install -y prometheus jq)" >&2
    exit 2
  fi
done
if [[ ! -f "$dashboard" ]]; then
  echo "error: dashboard not found: $dashboard" >&2
  exit 2
fi

allowed_metrics=(
  gateway_lane_requests_total
  gateway_lane_escapes_total
  gateway_lane_request_duration_seconds_bucket
  gateway_lane_request_duration_seconds_sum
  gateway_lane_request_duration_seconds_count
  gateway_lane_destinations
  gateway_lane_rules
  gateway_lane_retries_total
  gateway_config_reloads_total
  gateway_config_last_reload_successful
  gateway_config_reload_duration_seconds_bucket
  gateway_config_reload_duration_seconds_sum
  gateway_config_reload_duration_seconds_count
  gateway_overload_rejections_total
  up
)
allowed_labels=(
  route cluster lane served_lane decision kind status_class le health result job instance
)

contains() {
  local needle="$1"
  shift
  local item
  for item in "$@"; do
    [[ "$item" == "$needle" ]] && return 0
  done
  return 1
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# One expression per line (JSON-encoded so multi-line expressions stay on one line).
# Panels nested in collapsed rows are included.
jq -c '
  (
    [.panels[]? | ., (.panels[]?)] | .[] | .targets[]? | .expr // empty
  ),
  (
    .templating.list[]? | select(.type == "query")
    | (if (.query | type) == "object" then .query.query else .query end) // empty
    | if test("^\\s*label_values\\(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$") then empty
      elif test("^\\s*label_values\\(") then
        capture("^\\s*label_values\\((?<e>.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*$").e
      elif test("^\\s*query_result\\(") then
        capture("^\\s*query_result\\((?<e>.*)\\)\\s*$").e
      else . end
  )
' "$dashboard" >"$tmp/exprs.jsonl"

count=0
failed=0
while IFS= read -r encoded; do
  count=$((count + 1))
  expr="$(jq -r . <<<"$encoded")"
  sub="$expr"
  sub="${sub//\$\{route\}/.*}"
  sub="${sub//\$route/.*}"
  sub="${sub//\$\{lane\}/.*}"
  sub="${sub//\$lane/.*}"
  sub="${sub//\$\{__rate_interval\}/1m}"
  sub="${sub//\$__rate_interval/1m}"
  sub="${sub//\$\{__interval\}/1m}"
  sub="${sub//\$__interval/1m}"
  sub="${sub//\$\{__range\}/1m}"
  sub="${sub//\$__range/1m}"

  problems=()
  if [[ "$sub" == *'$'* ]]; then
    problems+=("uses a variable other than \$route, \$lane, \$__rate_interval")
  fi

  # Metric names: every gateway_* identifier must be in the contract.
  while IFS= read -r name; do
    [[ -z "$name" ]] && continue
    contains "$name" "${allowed_metrics[@]}" || problems+=("unknown metric: $name")
  done < <(grep -oE '\bgateway_[a-z_]+' <<<"$sub" | sort -u || true)

  # Label names in matchers (name=, name!=, name=~, name!~) and in by/without/on/ignoring/group_* lists.
  while IFS= read -r name; do
    [[ -z "$name" ]] && continue
    contains "$name" "${allowed_labels[@]}" || problems+=("unknown label: $name")
  done < <(
    {
      grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*(=~|!~|!=|=)[[:space:]]*"' <<<"$sub" \
        | grep -oE '^[A-Za-z_][A-Za-z0-9_]*' || true
      grep -oE '\b(by|without|on|ignoring|group_left|group_right)[[:space:]]*\([^)]*\)' <<<"$sub" \
        | sed -E 's/^[a-z_]+[[:space:]]*\(//; s/\)$//' | tr ',' '\n' | tr -d ' \t' || true
    } | sort -u
  )

  rules="$tmp/rule-${count}.yml"
  {
    echo "groups:"
    echo "  - name: dashboard-query-${count}"
    echo "    rules:"
    echo "      - record: dashboard_query_${count}"
    # A JSON string is a valid YAML scalar, so jq does the quoting.
    echo "        expr: $(jq -n --arg e "$sub" '$e')"
  } >"$rules"
  if ! out="$(promtool check rules "$rules" 2>&1)"; then
    problems+=("promtool: ${out//$'\n'/ }")
  fi

  if ((${#problems[@]} > 0)); then
    failed=$((failed + 1))
    echo "FAIL: $expr"
    printf '      %s\n' "${problems[@]}"
  else
    echo "ok:   $expr"
  fi
done <"$tmp/exprs.jsonl"

panel_exprs="$(jq '[[.panels[]? | ., (.panels[]?)] | .[] | .targets[]? | .expr // empty] | length' "$dashboard")"
if ((count == 0 || panel_exprs == 0)); then
  echo "error: no panel PromQL expression found in $dashboard" >&2
  exit 1
fi
echo "dashboard queries: $((count - failed)) of $count ok ($panel_exprs panel targets, $((count - panel_exprs)) variable queries)"
if ((failed > 0)); then
  exit 1
fi
