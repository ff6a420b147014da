#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# e2e.sh - end to end with a real Prometheus server (Debian package
# prometheus): cgtop --listen on a free loopback port watches the test's own
# groups; a Prometheus started here (its own config, a temporary TSDB, a free
# loopback port, killed by pid on exit) scrapes it every second; its HTTP
# query API must then return cgtop_memory_max_bytes of a group = the 32M limit
# the test set, no sample for an unlimited group, and after a real OOM kill in
# the group (tests/helpers/memhog), cgtop_memory_oom_kills_total and
# cgtop_kmsg_oom_kills_total rising by one and cgtop_last_oom_victim_info
# naming the victim's pid.
# The fleet kit in the same Prometheus: it loads data/prometheus/cgtop-alerts.yml
# (evaluated every second), and a second cgtop (--depth 0 /: the root, whose
# pressure is /proc/pressure) is scraped beside the first; after the OOM kill,
# fork rejections under a pids limit and a burner under a CPU quota, the
# CgroupOOMKill and CgroupForksRejected alerts fire for those groups, and every
# query of data/grafana/cgtop.json (panels, annotations, the variables' label
# values) returns data through the query API, with Grafana's variables replaced
# as Grafana would; when the first cgtop stops, CgtopExporterDown is pending.
# Needs root, curl, jq and prometheus (else skips).
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
. "$LIVE_DIR/../prom/lib-prom.sh"
top_builddir=${top_builddir:-$(cd "$LIVE_DIR/../.." && pwd)}
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
RULES=$top_srcdir/data/prometheus/cgtop-alerts.yml
DASH=$top_srcdir/data/grafana/cgtop.json
CGTOP=${CGTOP:-$top_builddir/cgtop}

PROMETHEUS=${PROMETHEUS:-$(command -v prometheus || true)}
[ -n "$PROMETHEUS" ] || skip_all "prometheus is not installed (apt-get install prometheus)"
for t in curl jq; do command -v $t >/dev/null || skip_all "$t is not installed"; done
cg_init
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
need_helper MEMHOG memhog
need_helper FORKER forker
need_helper BURNER burner

O=$CG_TEST/oom
U=$CG_TEST/free
cg_create "$O" memory pids || bail_out "cannot create $O"
cg_create "$U" memory pids || bail_out "cannot create $U"
if cg_file "$O" memory.max >/dev/null; then
	cg_write "$O" memory.max 33554432 || bail_out "cannot limit $O"
	cg_file "$O" memory.swap.max >/dev/null && cg_write "$O" memory.swap.max 0
else
	cg_write "$O" memory.limit_in_bytes 33554432 || bail_out "cannot limit $O"
	cg_write "$O" memory.swappiness 0 2>/dev/null
	cg_file "$O" memory.memsw.limit_in_bytes >/dev/null && cg_write "$O" memory.memsw.limit_in_bytes 33554432
fi

# fork rejections under pids.max 4; a CPU quota of half a CPU with a burner under it
F=$CG_TEST/forks
cg_create "$F" pids || bail_out "cannot create $F"
cg_write "$F" pids.max 4 || bail_out "cannot limit $F"
Q=$CG_TEST/quota
QUOTA=0
if cg_create "$Q" cpu cpuacct && cg_file "$Q" cpu.stat >/dev/null; then
	if cg_file "$Q" cpu.max >/dev/null; then
		cg_write "$Q" cpu.max "50000 100000" && QUOTA=1
	else
		cg_write "$Q" cpu.cfs_period_us 100000 && cg_write "$Q" cpu.cfs_quota_us 50000 && QUOTA=1
	fi
	[ "$QUOTA" = 1 ] && cg_spawn "$Q" "$BURNER" 600
fi

# ---- cgtop --listen -----------------------------------------------------------------------
for ((try = 0; try < 5; try++)); do
	CPORT=$(free_port) || bail_out "no free port"
	cg_bg "$CGTOP" --listen "127.0.0.1:$CPORT" -d 1 "$CG_TEST" 2>"$CG_TMP/cgtop.err"
	CGTOP_PID=$CG_LAST_PID
	wait_http "http://127.0.0.1:$CPORT/metrics" 60 "$CGTOP_PID" && break
	grep -q 'in use' "$CG_TMP/cgtop.err" || bail_out "cgtop --listen did not start: $(cat "$CG_TMP/cgtop.err")"
done
pass "cgtop --listen 127.0.0.1:$CPORT serves /metrics"
for ((try = 0; try < 5; try++)); do
	RPORT=$(free_port) || bail_out "no free port"
	cg_bg "$CGTOP" --listen "127.0.0.1:$RPORT" -d 1 --depth 0 / 2>"$CG_TMP/cgtop-root.err"
	ROOT_PID=$CG_LAST_PID
	wait_http "http://127.0.0.1:$RPORT/metrics" 60 "$ROOT_PID" && break
	grep -q 'in use' "$CG_TMP/cgtop-root.err" || bail_out "cgtop --listen (root) did not start: $(cat "$CG_TMP/cgtop-root.err")"
done

# ---- prometheus -----------------------------------------------------------------------------
mkdir -p "$CG_TMP/tsdb"
cat >"$CG_TMP/prometheus.yml" <<EOT
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - '$RULES'
scrape_configs:
  - job_name: cgtop
    static_configs:
      - targets: ['127.0.0.1:$CPORT', '127.0.0.1:$RPORT']
EOT
for ((try = 0; try < 5; try++)); do
	PPORT=$(free_port) || bail_out "no free port"
	cg_bg "$PROMETHEUS" --config.file="$CG_TMP/prometheus.yml" --storage.tsdb.path="$CG_TMP/tsdb" \
		--web.listen-address="127.0.0.1:$PPORT" --log.level=warn 2>"$CG_TMP/prometheus.log"
	PROM_PID=$CG_LAST_PID
	wait_http "http://127.0.0.1:$PPORT/-/ready" 60 "$PROM_PID" && break
done
kill -0 "$PROM_PID" 2>/dev/null || bail_out "prometheus did not start: $(tail -5 "$CG_TMP/prometheus.log")"
START=$(date +%s)
pass "prometheus ($("$PROMETHEUS" --version 2>&1 | head -1 | awk '{print $3}')) ready on 127.0.0.1:$PPORT"

# query PROMQL: prints the value of the first result, or nothing
query()
{
	curl -s --max-time 5 -G --data-urlencode "query=$1" "http://127.0.0.1:$PPORT/api/v1/query" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}

# wait_query PROMQL WANT-TEST [SECONDS]: polls until the value passes the test
# (a bash arithmetic condition on $v); prints the last value
wait_query()
{
	local q=$1 cond=$2 tenths=$((${3:-30} * 10)) v=
	while [ "$tenths" -gt 0 ]; do
		v=$(query "$q")
		if [ -n "$v" ] && (( $cond )); then
			printf '%s\n' "$v"
			return 0
		fi
		sleep 0.2
		tenths=$((tenths - 2))
	done
	printf '%s\n' "$v"
	return 1
}

up=$(wait_query "up{job=\"cgtop\"}" 'v == 1' 30)
is "$up" 1 "prometheus scrapes cgtop (up == 1)"
v=$(wait_query "cgtop_memory_max_bytes{cgroup=\"$O\"}" 'v > 0' 30)
is "$v" 33554432 "Prometheus: cgtop_memory_max_bytes{cgroup=\"$O\"} is the 32M limit set"
is "$(query "cgtop_memory_max_bytes{cgroup=\"$U\"}")" "" "Prometheus: no cgtop_memory_max_bytes for an unlimited group"
ok "Prometheus: the unlimited group is scraped all the same" test -n "$(query "cgtop_tasks{cgroup=\"$U\"}")"
before=$(query "cgtop_memory_oom_kills_total{cgroup=\"$O\"}")
is_uint "${before%%.*}" && pass "Prometheus: cgtop_memory_oom_kills_total of the group: $before" ||
	fail "Prometheus: cgtop_memory_oom_kills_total of the group" "got '$before'"
kbefore=$(query "cgtop_kmsg_oom_kills_total{cgroup=\"$O\"}")

cg_spawn "$O" "$MEMHOG" 100
victim=$CG_LAST_PID
wait "$victim" 2>/dev/null
after=$(wait_query "cgtop_memory_oom_kills_total{cgroup=\"$O\"}" "v >= ${before:-0} + 1" 30)
is "$after" "$((${before:-0} + 1))" "after a real OOM kill: cgtop_memory_oom_kills_total rose by one in Prometheus"
if [ -n "$kbefore" ]; then
	kafter=$(wait_query "cgtop_kmsg_oom_kills_total{cgroup=\"$O\"}" "v >= $kbefore + 1" 30)
	is "$kafter" "$((kbefore + 1))" "... and cgtop_kmsg_oom_kills_total, from the kernel log"
	info=$(curl -s -G --data-urlencode "query=cgtop_last_oom_victim_info{cgroup=\"$O\"}" \
		"http://127.0.0.1:$PPORT/api/v1/query" | jq -r '.data.result[0].metric | "\(.pid) \(.task)"')
	is "$info" "$victim memhog" "... and cgtop_last_oom_victim_info names the victim (pid, task)"
else
	skip "the kernel log's counters" "cgtop cannot read /dev/kmsg here"
fi

# ---- the alert rules ------------------------------------------------------------------------
rules=$(curl -s --max-time 5 "http://127.0.0.1:$PPORT/api/v1/rules" | jq -r '[.data.groups[].rules[] | select(.type == "alerting")] | length')
is "$rules" "$(grep -c '^ *- alert:' "$RULES")" "Prometheus loaded every alert of data/prometheus/cgtop-alerts.yml"
v=$(wait_query "ALERTS{alertname=\"CgroupOOMKill\",alertstate=\"firing\",cgroup=\"$O\"}" 'v == 1' 30)
is "$v" 1 "after the OOM kill, CgroupOOMKill fires for $O"
cg_spawn "$F" "$FORKER" -t 20 >/dev/null
v=$(wait_query "cgtop_pids_rejected_total{cgroup=\"$F\"}" 'v >= 1' 30)
ok "forks rejected under pids.max 4: cgtop_pids_rejected_total $v in Prometheus" test -n "$v"
v=$(wait_query "ALERTS{alertname=\"CgroupForksRejected\",alertstate=\"firing\",cgroup=\"$F\"}" 'v == 1' 30)
is "$v" 1 "CgroupForksRejected fires for $F"
is "$(query "ALERTS{alertname=\"CgroupOOMKill\",cgroup=\"$U\"}")" "" "no CgroupOOMKill for the group without kills"

# ---- every query of the Grafana dashboard ---------------------------------------------------
# Grafana's variables as Grafana fills them: the job, every instance, and
# windows that hold several of these 1 s scrapes
grafana_expr()
{
	sed -e 's/\$job/cgtop/g' -e 's/\$instance/.*/g' -e 's/\$__rate_interval/20s/g' \
		-e 's/\$__interval/20s/g' -e "s/\\\$__range/$(($(date +%s) - START + 1))s/g"
}
# range_data PROMQL: the number of non-NaN points a Grafana range query
# (START to now, 1 s steps) returns, or "error: ..."; its last step is the
# next whole second, not the last one (date +%s truncates), so a sample
# scraped in the current second, which the instant queries above saw, is in
# it (the rejected forks' counter rises a second before this runs)
range_data()
{
	curl -s --max-time 10 -G --data-urlencode "query=$1" --data-urlencode "start=$START" \
		--data-urlencode "end=$(($(date +%s) + 1))" --data-urlencode step=1 "http://127.0.0.1:$PPORT/api/v1/query_range" |
		jq -r 'if .status == "success" then [.data.result[].values[][1] | select(. != "NaN")] | length
			else "error: \(.error)" end'
}
# the throttled share needs a quota; the victim's name needs the kernel log
[ "$QUOTA" = 1 ] || diag "no CPU quota below the own group here: 'CPU throttled' may be empty"
nq=0
while IFS=$'\t' read -r title expr; do
	q=$(grafana_expr <<<"$expr")
	n=$(range_data "$q")
	nq=$((nq + 1))
	if [ "$title" = "Last OOM victim per group" ] && [ -z "$kbefore" ]; then
		skip "panel \"$title\" returns data" "cgtop cannot read /dev/kmsg here"
	elif [ "$title" = "CPU throttled" ] && [ "$QUOTA" = 0 ]; then
		skip "panel \"$title\" returns data" "no CPU quota could be set here"
	elif [[ $n =~ ^[0-9]+$ ]] && [ "$n" -gt 0 ]; then
		pass "Grafana panel \"$title\": $n points"
	else
		fail "Grafana panel \"$title\" returns data" "query: $q" "got: $n"
	fi
done < <(jq -r '(.panels[] | select(.targets) | .title as $t | (.targets | length) as $n |
		.targets[] | [if $n > 1 then "\($t) (\(.legendFormat | split(" ")[0]))" else $t end, .expr]),
	(.annotations.list[] | select(.expr) | ["annotation " + .name, .expr]) | @tsv' "$DASH")
ok "the dashboard has queries ($nq)" test "$nq" -ge 10
# the variables: label_values(METRIC, LABEL) through the series API
while IFS=$'\t' read -r name metric label; do
	metric=$(grafana_expr <<<"$metric")
	n=$(curl -s --max-time 5 -G --data-urlencode "match[]=$metric" --data-urlencode "start=$START" \
		"http://127.0.0.1:$PPORT/api/v1/series" | jq -r --arg l "$label" '[.data[][$l] // empty] | unique | length')
	[ "${n:-0}" -gt 0 ] && pass "Grafana variable \$$name: $n values of $label in $metric" ||
		fail "Grafana variable \$$name has values" "label_values($metric, $label): ${n:-nothing}"
done < <(jq -r '.templating.list[] | select(.type == "query") | .name as $n | .definition |
	capture("label_values\\((?<m>.*), *(?<l>[a-z_]+)\\)") | [$n, .m, .l] | @tsv' "$DASH")

kill -TERM "$CGTOP_PID"
wait "$CGTOP_PID"
is "$?" 0 "cgtop --listen exits 0 on SIGTERM"
v=$(wait_query "ALERTS{alertname=\"CgtopExporterDown\",instance=\"127.0.0.1:$CPORT\"}" 'v == 1' 30)
is "$v" 1 "cgtop stopped: CgtopExporterDown is pending for its instance"
is "$(query "ALERTS{alertname=\"CgtopExporterDown\",instance=\"127.0.0.1:$RPORT\"}")" "" "... and not for the one still up"
done_testing
