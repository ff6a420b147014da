#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# replay.sh - a recording replayed prints what live batch mode printed: each
# captured tree (hybrid, pure v1, pure v2; tests/golden/dumps) is recorded
# (cgtop --sysroot DUMP --record FILE -n 2) and printed live (-b -n 2) under
# the same test clock, and -b --replay FILE gives the same bytes in text (the
# default columns, and --raw with every text column), the same Prometheus
# exposition (checked by promtool when installed), the same JSON objects
# (groups compared by path: a replay lists them in the order they were
# recorded), --from/--to select the second sample, and --depth and a PATH
# narrow the tree as live.
# test-lane: free (captured trees only; tests/tap-wrap.sh)
set -u
: "${top_srcdir:?}" "${CGTOP:?}"
dumps=$top_srcdir/tests/golden/dumps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
export CGTOP_TEST_CLOCK=1764400000

command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 is not installed"; exit 77; }
shopt -s nullglob
tars=("$dumps"/*.tar.xz)
if [ ${#tars[@]} -eq 0 ]; then
	echo "1..0 # SKIP no dumps in $dumps"
	exit 77
fi

# same NAME LIVE-ARGS -- REPLAY-ARGS: the two outputs are byte-identical
same()
{
	local name=$1 live=() rep=()
	shift
	while [ "$1" != -- ]; do live+=("$1"); shift; done
	shift
	rep=("$@")
	"$CGTOP" --sysroot "$root" -b "${live[@]}" >"$tmp/live" 2>"$tmp/err1"
	"$CGTOP" -b --replay "$db" "${rep[@]}" >"$tmp/rep" 2>"$tmp/err2"
	if [ -s "$tmp/err1" ] || [ -s "$tmp/err2" ] || [ ! -s "$tmp/live" ]; then
		notok "$name: $(cat "$tmp/err1" "$tmp/err2")"
	elif diff -u "$tmp/live" "$tmp/rep" >"$tmp/diff"; then
		ok "$name"
	else
		notok "$name: the replay differs from live"
		head -40 "$tmp/diff" | sed 's/^/# /'
	fi
}

for tar in "${tars[@]}"; do
	name=$(basename "$tar" .tar.xz)
	root=$tmp/$name
	db=$tmp/$name.db
	mkdir -p "$root"
	tar -xJf "$tar" -C "$root" || { notok "$name: cannot unpack"; continue; }
	if ! "$CGTOP" --sysroot "$root" --record "$db" -n 2 -d 0.1 2>"$tmp/err"; then
		notok "$name: --record failed: $(cat "$tmp/err")"
		continue
	fi
	# pressure stored as the compact array of schema 3 (record-psi.h), about a
	# third of the object JSON prints, and printed back as that object (below)
	npsi=$(sqlite3 -batch "$db" "select count(*) from samples where psi is not null")
	nobj=$(sqlite3 -batch "$db" "select count(*) from samples where psi is not null and
		(json_type(psi) != 'array' or json_array_length(psi) != 3)")
	if [ "$nobj" = 0 ]; then
		ok "$name: every psi of the $npsi rows that have one is a compact array"
	else
		notok "$name: $nobj of $npsi psi values are not the compact array: $(sqlite3 -batch "$db" "select psi from samples where psi is not null limit 1")"
	fi
	same "$name text" -n 2 -d 0.1 -- 
	same "$name text raw, every text column" -n 2 -d 0.1 --raw --columns \
		tasks,threads,cpu,cpu_time,throttle,cpu_max,cpu_limit,cpuset,memory,mem_max,mem_limit,mem_high,mem_high_limit,mem_pct,mem_peak,swap,failcnt,oom,hugetlb,pids,pids_max,pids_limit,rejected,io_read,io_write,psi,forks \
		-- --raw --columns \
		tasks,threads,cpu,cpu_time,throttle,cpu_max,cpu_limit,cpuset,memory,mem_max,mem_limit,mem_high,mem_high_limit,mem_pct,mem_peak,swap,failcnt,oom,hugetlb,pids,pids_max,pids_limit,rejected,io_read,io_write,psi,forks
	same "$name text --recursive=no --depth 1" -n 2 -d 0.1 --recursive=no --depth 1 -- --recursive=no --depth 1
	same "$name prometheus" --format prometheus -- --format prometheus
	if command -v promtool >/dev/null; then
		if promtool check metrics <"$tmp/rep" >"$tmp/lint" 2>&1; then
			ok "$name prometheus: promtool check metrics"
		else
			notok "$name prometheus: promtool: $(head -3 "$tmp/lint")"
		fi
	fi
	t2=$(sqlite3 "$db" "select printf('@%.6f', max(time)) from ticks")
	"$CGTOP" --sysroot "$root" -b -n 2 -d 0.1 | awk 'f; /^$/ { f = 1 }' >"$tmp/live2"
	"$CGTOP" -b --replay "$db" --from "$t2" --to "$t2" >"$tmp/rep2"
	if [ -s "$tmp/rep2" ] && cmp -s "$tmp/live2" "$tmp/rep2"; then
		ok "$name: --from/--to $t2 prints the second sample"
	else
		notok "$name: --from/--to $t2 prints the second sample"
	fi
	"$CGTOP" --sysroot "$root" -b -n 2 -d 0.1 --format json >"$tmp/live.json"
	"$CGTOP" -b --replay "$db" --format json >"$tmp/rep.json"
	out=$(python3 - "$tmp/live.json" "$tmp/rep.json" <<'PY' 2>&1
import json, sys
def strict(c): raise ValueError("not JSON: " + c)
live = [json.loads(l, parse_constant=strict) for l in open(sys.argv[1])]
rep = [json.loads(l, parse_constant=strict) for l in open(sys.argv[2])]
bad = []
if len(live) != len(rep):
    bad.append("%d samples live, %d replayed" % (len(live), len(rep)))
for a, b in zip(live, rep):
    ga = {g["path"]: g for g in a["cgroups"]}
    gb = {g["path"]: g for g in b["cgroups"]}
    if a["time"] != b["time"] or a["mode"] != b["mode"] or set(ga) != set(gb):
        bad.append("time, mode or groups differ at %s" % a["time"])
        continue
    for p in ga:
        if list(ga[p]) != list(gb[p]):
            bad.append("keys of " + p)
        for k, v in ga[p].items():
            if k.endswith("_since_start") or k.startswith("kmsg_"):
                continue  # the events column: not recorded (null)
            if gb[p][k] != v:
                bad.append("%s %s: live %r, replay %r" % (p, k, v, gb[p][k]))
print("ok" if not bad else "; ".join(bad[:5]))
PY
)
	[ "$out" = ok ] && ok "$name json: every value of every group as live" || notok "$name json: $out"
done

echo "1..$n"
[ "$failed" -eq 0 ]
