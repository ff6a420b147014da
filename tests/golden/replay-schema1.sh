#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# replay-schema1.sh - a recording of schema 1 (memory.stat a column of
# samples, before it had a table of its own) is still read, and recorded to.
# For each captured tree (tests/golden/dumps), a recording of it
# (--sysroot, -n 3, the test clock) is turned into schema 1 with sqlite3:
# samples gets its memory_stat column, each row's memory.stat as schema 2
# rebuilds it at the row's time, the memory_stat table goes, psi becomes the
# object of schemas 1 and 2 (as live JSON prints it, from the compact array
# of schema 3), user_version 1.
#  1. -b --replay prints the same bytes from both files, JSON (memory_stat
#     and psi included) and text;
#  2. a recorder appends a sample to the schema-1 file: it becomes schema 3
#     (the memory_stat table, compact psi in new rows, user_version 3), its
#     old rows keep their memory_stat and psi objects, the three old samples
#     replay as before and the new one has every group's memory.stat (from
#     the table);
#  3. a recorder with a PATH that is no group leaves a schema-1 file
#     byte-identical, nothing beside it.
# test-lane: free (captured trees only; tests/tap-wrap.sh)
set -u
: "${top_srcdir:?}" "${CGTOP:?}"
dumps=$top_srcdir/tests/golden/dumps
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { # NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1: want '$2', got '$3'"; fi
}
q() { sqlite3 -batch -noheader "$@" 2>&1; }
T0=1764400000

command -v sqlite3 >/dev/null || { echo "1..0 # SKIP sqlite3 is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 77; }
shopt -s nullglob
tars=("$dumps"/*.tar.xz)
if [ ${#tars[@]} -eq 0 ]; then
	echo "1..0 # SKIP no dumps in $dumps"
	exit 77
fi

for tar in "${tars[@]}"; do
	name=$(basename "$tar" .tar.xz)
	root=$tmp/$name
	db2=$tmp/$name-2.db db1=$tmp/$name-1.db
	mkdir -p "$root"
	tar -xJf "$tar" -C "$root" || { notok "$name: cannot unpack"; continue; }
	if ! CGTOP_TEST_CLOCK=$T0 "$CGTOP" --sysroot "$root" --record "$db2" -n 3 -d 0.1 2>"$tmp/err"; then
		notok "$name: --record failed: $(cat "$tmp/err")"
		continue
	fi
	cp "$db2" "$db1"
	if ! q "$db1" >"$tmp/err" <<-'EOF'; then
		ALTER TABLE samples ADD COLUMN memory_stat TEXT;
		UPDATE samples SET memory_stat = (SELECT json FROM memory_stat m WHERE m.group_id = samples.group_id
			AND m.time <= samples.time ORDER BY m.time DESC LIMIT 1);
		DROP TABLE memory_stat;
		UPDATE samples SET psi = (WITH r(k, name) AS (VALUES (0, 'cpu'), (1, 'memory'), (2, 'io'))
			SELECT '{' || group_concat(printf('"%s":%s', name, CASE WHEN json_type(psi, '$[' || k || ']') = 'null'
				THEN 'null' ELSE printf('{"some":%s,"full":%s}',
				CASE WHEN json_type(psi, '$[' || k || '][0]') = 'null' THEN 'null' ELSE
				printf('{"avg10":%.2f,"avg60":%.2f,"avg300":%.2f,"total":%d}', json_extract(psi, '$[' || k || '][0][0]'),
					json_extract(psi, '$[' || k || '][0][1]'), json_extract(psi, '$[' || k || '][0][2]'),
					json_extract(psi, '$[' || k || '][0][3]')) END,
				CASE WHEN json_type(psi, '$[' || k || '][1]') = 'null' THEN 'null' ELSE
				printf('{"avg10":%.2f,"avg60":%.2f,"avg300":%.2f,"total":%d}', json_extract(psi, '$[' || k || '][1][0]'),
					json_extract(psi, '$[' || k || '][1][1]'), json_extract(psi, '$[' || k || '][1][2]'),
					json_extract(psi, '$[' || k || '][1][3]')) END) END), ',') || '}' FROM r)
			WHERE psi IS NOT NULL;
		UPDATE meta SET value = '1' WHERE key = 'schema_version';
		PRAGMA user_version = 1;
	EOF
		notok "$name: cannot make the schema-1 file: $(cat "$tmp/err")"
		continue
	fi
	check "$name: the file made is schema 1 with memory.stat in samples" "1 1" \
		"$(q "$db1" "PRAGMA user_version") $(q "$db1" "select count(*) > 0 from samples where memory_stat is not null")"

	# 1. the same bytes from both
	for fmt in json text; do
		"$CGTOP" -b --replay "$db2" --format "$fmt" >"$tmp/rep2.$fmt" 2>"$tmp/err2"
		"$CGTOP" -b --replay "$db1" --format "$fmt" >"$tmp/rep1.$fmt" 2>"$tmp/err1"
		if [ -s "$tmp/err1" ] || [ -s "$tmp/err2" ] || [ ! -s "$tmp/rep1.$fmt" ]; then
			notok "$name $fmt: $(cat "$tmp/err1" "$tmp/err2")"
		elif cmp -s "$tmp/rep1.$fmt" "$tmp/rep2.$fmt"; then
			ok "$name $fmt: schema 1 replays as schema 2"
		else
			notok "$name $fmt: the schema-1 replay differs"
			diff "$tmp/rep2.$fmt" "$tmp/rep1.$fmt" | head -10 | sed 's/^/# /'
		fi
	done
	stats=$(python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1]) for g in json.loads(l)["cgroups"] if isinstance(g["memory_stat"], dict)))' \
		"$tmp/rep1.json" 2>&1)
	if [ "$stats" -gt 0 ] 2>/dev/null; then
		ok "$name: the schema-1 replay has memory_stat ($stats groups x samples)"
	else
		notok "$name: the schema-1 replay has no memory_stat: $stats"
	fi

	# 3. (before 2, on a copy) a PATH that is no group: untouched
	cp "$db1" "$tmp/keep.db"
	sum=$(cksum <"$tmp/keep.db")
	"$CGTOP" --sysroot "$root" --record "$tmp/keep.db" -n 1 -d 0.1 /no-such-group >/dev/null 2>"$tmp/err"
	check "$name: --record to it with a PATH that is no group: exit 2, one line, the file untouched" \
		"2 1 $sum 0" "$? $(wc -l <"$tmp/err") $(cksum <"$tmp/keep.db") $(set -- "$tmp"/keep.db-*; echo $#)"

	# 2. recorded to: one more sample
	if ! CGTOP_TEST_CLOCK=$((T0 + 100)) "$CGTOP" --sysroot "$root" --record "$db1" -n 1 -d 0.1 2>"$tmp/err"; then
		notok "$name: --record to the schema-1 file failed: $(cat "$tmp/err")"
		continue
	fi
	check "$name: recorded to, the file is schema 3 with a memory_stat table" "3 3 ok" \
		"$(q "$db1" "PRAGMA user_version") $(q "$db1" "select value from meta where key = 'schema_version'") $(q "$db1" "PRAGMA integrity_check")"
	check "$name: its old samples rows keep their memory_stat, the new ones have none" "0 0" \
		"$(q "$db1" "select count(*) from samples where time < $T0 + 50 and memory_stat is null
			and group_id in (select group_id from memory_stat)") $(q "$db1" "select count(*) from samples where time > $T0 + 50 and memory_stat is not null")"
	"$CGTOP" -b --replay "$db1" --format json --to "@$((T0 + 50))" >"$tmp/old.json" 2>"$tmp/err"
	if cmp -s "$tmp/old.json" "$tmp/rep2.json"; then
		ok "$name: the three old samples replay as before"
	else
		notok "$name: the old samples replay otherwise: $(cat "$tmp/err")"
	fi
	"$CGTOP" -b --replay "$db1" --format json --from "@$((T0 + 50))" >"$tmp/new.json" 2>"$tmp/err"
	out=$(python3 - "$tmp/rep2.json" "$tmp/new.json" <<'PY' 2>&1
import json, sys
old = [json.loads(l) for l in open(sys.argv[1])][-1]
new = [json.loads(l) for l in open(sys.argv[2])]
if len(new) != 1:
    print("%d new samples" % len(new))
    sys.exit()
a = {g["path"]: g["memory_stat"] for g in old["cgroups"]}
b = {g["path"]: g["memory_stat"] for g in new[0]["cgroups"]}
bad = [p for p in a if p in b and a[p] != b[p]]
print("ok" if not bad and any(isinstance(v, dict) for v in b.values()) else "differs: %s" % bad[:3])
PY
)
	check "$name: the new sample's memory_stat (from the table) is the tree's" ok "$out"
done

echo "1..$n"
[ "$failed" -eq 0 ]
