#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# alerts.sh - the fleet kit, offline: data/prometheus/cgtop-alerts.yml passes
# `promtool check rules` and its unit tests (`promtool test rules
# tests/prom/alerts.yml`: each alert fires where it must, with its labels and
# rendered annotations, and stays quiet where it must), every alert has such a
# test, and the rules and data/grafana/cgtop.json use only metrics cgtop
# exports (the man page's list, which format.sh checks against the column
# table).  The dashboard is strict JSON with one query per target, unique
# panel ids, and every query through the ${datasource} variable.
# tests/prom/e2e.sh runs the same rules and every panel's query in a real
# Prometheus that scrapes cgtop.
# test-lane: free (reads files, runs promtool and python3 only)
set -u

LIVE_DIR=${top_srcdir:+$top_srcdir/tests/live}
LIVE_DIR=${LIVE_DIR:-$(cd "$(dirname "$0")/../live" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$LIVE_DIR/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$LIVE_DIR/../.." && pwd)}
command -v promtool >/dev/null || skip_all "promtool is not installed (apt-get install prometheus)"
command -v python3 >/dev/null || skip_all "python3 is not installed"
export LC_ALL=C

RULES=$top_srcdir/data/prometheus/cgtop-alerts.yml
DASH=$top_srcdir/data/grafana/cgtop.json

out=$(promtool check rules "$RULES" 2>&1)
rc=$?
is "$rc" 0 "promtool check rules data/prometheus/cgtop-alerts.yml"
[ "$rc" -eq 0 ] || diag "$out"

out=$(promtool test rules "$top_srcdir/tests/prom/alerts.yml" 2>&1)
rc=$?
is "$rc" 0 "promtool test rules tests/prom/alerts.yml"
[ "$rc" -eq 0 ] || diag "$out"

alerts=$(sed -n 's/^ *- alert: *//p' "$RULES" | sort -u)
[ -n "$alerts" ] || fail "the rules file has alerts"
for a in $alerts; do
	grep -q "alertname: *$a\$" "$top_srcdir/tests/prom/alerts.yml" && pass "$a has a unit test" ||
		fail "$a has a unit test" "no 'alertname: $a' in tests/prom/alerts.yml"
done
for a in CgroupOOMKill CgroupMemoryNearLimit CgroupForksRejected CgroupMemoryPressure \
	CgtopExporterDown CgtopExporterStale; do
	grep -qx "$a" <<<"$alerts" || fail "the rules have $a" "alerts: $alerts"
done

# the metrics cgtop exports, as the man page lists them
known=$(sed 's/\\//g' "$top_srcdir/man/cgtop.1.in" | grep -o 'cgtop_[a-z_]*' | sort -u)
[ -n "$known" ] || bail_out "no metric names in man/cgtop.1.in"
for f in "$RULES" "$DASH"; do
	used=$(grep -o 'cgtop_[a-z_]*' "$f" | grep -v -e '^cgtop_$' | sort -u)
	unknown=
	for m in $used; do
		grep -qx -- "$m" <<<"$known" || unknown="$unknown $m"
	done
	is "$unknown" "" "$(basename "$f") uses only metrics cgtop exports ($(wc -w <<<"$used") of them)"
done

out=$(python3 - "$DASH" <<'EOF' 2>&1
import json, sys
def reject(c):
    raise ValueError("not JSON: " + c)
d = json.load(open(sys.argv[1]), parse_constant=reject)
errs = []
ids = [p["id"] for p in d["panels"]]
if len(ids) != len(set(ids)):
    errs.append("panel ids repeat: %s" % ids)
want = {"Top groups by CPU", "Memory against limit", "OOM kills", "Rejected forks"}
titles = {p["title"] for p in d["panels"]}
if not want <= titles:
    errs.append("missing panels: %s" % (want - titles))
if not any("Pressure" in t for t in titles):
    errs.append("no pressure panel")
names = {a["name"] for a in d["annotations"]["list"]}
if not {"OOM kills", "Rejected forks"} <= names:
    errs.append("annotations: %s" % names)
for p in d["panels"]:
    g = p["gridPos"]
    if g["x"] + g["w"] > 24:
        errs.append("%s: wider than the grid" % p["title"])
    if p["type"] == "row":
        continue
    if p.get("datasource", {}).get("uid") != "${datasource}":
        errs.append("%s: datasource is not ${datasource}" % p["title"])
    if not p.get("targets"):
        errs.append("%s: no query" % p["title"])
    for t in p.get("targets", []):
        if not t.get("expr") or t.get("datasource", {}).get("uid") != "${datasource}":
            errs.append("%s: target %s" % (p["title"], t))
print("\n".join(errs))
sys.exit(1 if errs else 0)
EOF
)
rc=$?
is "$rc" 0 "data/grafana/cgtop.json: strict JSON, the panels and annotations asked for, every query through \${datasource}"
[ "$rc" -eq 0 ] || diag "$out"
done_testing
