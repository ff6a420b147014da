#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# launch-priv.sh - live test of launch-net.c and launch-caps.c (root): the
# helper tests/helpers/netcaps calls them inside network namespaces made here
# with `unshare --net` (one process each; the namespaces vanish with them),
# and `ip`/`ping` look in through `nsenter --net --target PID`.  Checked: lo
# comes up; a veth pair between two such namespaces gets its addresses, link
# state and default route, pings both ways and is deleted again; the kernel's
# errors come back as -errno; --drop-caps / --caps leave exactly the kept
# capabilities and set no_new_privs.  The host's own interfaces and routes
# are only read, never changed.

set -u
. "${top_srcdir:-.}/tests/live/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "not root"
for t in unshare nsenter ip; do
	command -v "$t" >/dev/null || skip_all "$t not found"
done
unshare --net true 2>/dev/null || skip_all "unshare --net does not work here"
need_helper NETCAPS netcaps
HAVE_PING=1
command -v ping >/dev/null || HAVE_PING=0

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cgtop-launch-priv.XXXXXX") || bail_out "mktemp failed"
PIDS=()

# kill_all: kills the processes this script started (the namespaces go with them).
kill_all()
{
	local p

	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	PIDS=()
}

cleanup()
{
	kill_all
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM HUP

# ns_start NAME NETCAPS-ARGS...: starts `unshare --net netcaps -w ARGS` (the
# helper's pid is the namespace's holder), waits for "ready"; sets NS_PID.
ns_start()
{
	local name=$1

	shift
	unshare --net -- "$NETCAPS" -w "$@" >"$TMP/$name.out" 2>&1 &
	NS_PID=$!
	PIDS+=("$NS_PID")
	if ! wait_for_line "$TMP/$name.out" ready 5; then
		diag "netcaps $* did not get ready:" "$(cat "$TMP/$name.out")"
		return 1
	fi
}

# in_ns PID CMD...: CMD in the network namespace of PID.
in_ns()
{
	local pid=$1

	shift
	nsenter --net --target "$pid" -- "$@"
}

# link_flags PID IF: the flags of IF in the namespace of PID ("LOOPBACK,UP,...").
link_flags()
{
	in_ns "$1" ip -o link show dev "$2" 2>/dev/null | sed -n 's/^[0-9]*: [^:]*: <\([^>]*\)>.*/\1/p'
}

has_flag()
{
	[[ ,$1, == *",$2,"* ]]
}

host_links()
{
	ip -o link show | sed 's/^[0-9]*: \([^:@]*\).*/\1/' | LC_ALL=C sort
}

HOST_LINKS_BEFORE=$(host_links)
HOST_ROUTES_BEFORE=$(ip route show; ip -6 route show)

# ---- lo -----------------------------------------------------------------------

if ns_start lo lo-up; then
	A=$NS_PID
	is "$(head -n1 "$TMP/lo.out")" "rc=0" "launch_net_lo_up in a new netns returns 0"
	is "$(in_ns "$A" ip -o link show | sed 's/^[0-9]*: \([^:@]*\).*/\1/')" "lo" \
		"the new netns has only lo"
	f=$(link_flags "$A" lo)
	if has_flag "$f" UP && has_flag "$f" LOWER_UP; then
		pass "lo is up ($f)"
	else
		fail "lo is up" "flags: $f"
	fi
	if in_ns "$A" ip -o -4 addr show dev lo | grep -q ' 127\.0\.0\.1/8 '; then
		pass "lo has 127.0.0.1/8"
	else
		fail "lo has 127.0.0.1/8" "$(in_ns "$A" ip -o addr show)"
	fi
	if [ $HAVE_PING = 1 ]; then
		ok "ping 127.0.0.1 inside the new netns" in_ns "$A" ping -c1 -W2 127.0.0.1
	else
		skip "ping 127.0.0.1 inside the new netns" "ping (iputils-ping) not installed"
	fi
else
	fail "launch_net_lo_up in a new netns returns 0"
fi

if ns_start bare hold; then
	f=$(link_flags "$NS_PID" lo)
	if has_flag "$f" UP; then
		fail "a netns the helper did not touch has lo down" "flags: $f"
	else
		pass "a netns the helper did not touch has lo down ($f)"
	fi
fi
kill_all

# ---- veth ---------------------------------------------------------------------

HIF=cgt-vh0
PIF=cgt-vp0
NET=10.213.7.1/30

if ns_start peer hold && B=$NS_PID && ns_start host veth-host "$HIF" "$PIF" "$B" "$NET"; then
	A=$NS_PID
	is "$(head -n1 "$TMP/host.out")" "rc=0" "launch_net_veth_host returns 0"
	f=$(link_flags "$A" "$HIF")
	if has_flag "$f" UP; then
		pass "host end $HIF is up in the first netns ($f)"
	else
		fail "host end $HIF is up in the first netns" "flags: '$f'"
	fi
	if in_ns "$A" ip -o -4 addr show dev "$HIF" | grep -q " 10\.213\.7\.1/30 brd 10\.213\.7\.3 "; then
		pass "host end has 10.213.7.1/30 brd 10.213.7.3"
	else
		fail "host end has 10.213.7.1/30" "$(in_ns "$A" ip -o -4 addr show)"
	fi
	f=$(link_flags "$B" "$PIF")
	if [ -n "$f" ]; then
		pass "peer $PIF is in the second netns ($f)"
	else
		fail "peer $PIF is in the second netns" "$(in_ns "$B" ip -o link show)"
	fi
	if in_ns "$A" ip link show dev "$PIF" >/dev/null 2>&1; then
		fail "peer $PIF is not left in the first netns"
	else
		pass "peer $PIF is not left in the first netns"
	fi

	out=$(in_ns "$B" "$NETCAPS" veth-child "$PIF" "$NET" 2>&1)
	is "$out" "rc=0" "launch_net_veth_child returns 0"
	f=$(link_flags "$B" "$PIF")
	if has_flag "$f" UP && has_flag "$f" LOWER_UP; then
		pass "child end is up with carrier ($f)"
	else
		fail "child end is up with carrier" "flags: '$f'"
	fi
	if has_flag "$(link_flags "$B" lo)" UP; then
		pass "launch_net_veth_child brought lo up too"
	else
		fail "launch_net_veth_child brought lo up too" "$(in_ns "$B" ip -o link show dev lo)"
	fi
	if in_ns "$B" ip -o -4 addr show dev "$PIF" | grep -q " 10\.213\.7\.2/30 brd 10\.213\.7\.3 "; then
		pass "child end has the next address 10.213.7.2/30"
	else
		fail "child end has the next address 10.213.7.2/30" "$(in_ns "$B" ip -o -4 addr show)"
	fi
	r=$(in_ns "$B" ip -4 route show default)
	if [[ $r == "default via 10.213.7.1 dev $PIF"* ]] && [ "$(wc -l <<<"$r")" = 1 ]; then
		pass "child's default route via the host end"
	else
		fail "child's default route via the host end" "got: '$r'"
	fi
	if [ $HAVE_PING = 1 ]; then
		ok "ping from the child netns to the host end" in_ns "$B" ping -c1 -W2 10.213.7.1
		ok "ping from the host netns to the child end" in_ns "$A" ping -c1 -W2 10.213.7.2
	else
		skip "ping from the child netns to the host end" "ping (iputils-ping) not installed"
		skip "ping from the host netns to the child end" "ping (iputils-ping) not installed"
	fi

	# the kernel's errors come back as -errno
	is "$(in_ns "$A" "$NETCAPS" veth-host "$HIF" cgt-vx0 "$B" "$NET" 2>&1)" \
		"rc=-17 (File exists)" "a second pair with the same name: -EEXIST"
	has_flag "$(link_flags "$A" "$HIF")" UP && pass "the existing pair is left alone" ||
		fail "the existing pair is left alone"
	is "$(in_ns "$A" "$NETCAPS" veth-host cgt-vh1 cgt-vp1 2147483647 "$NET" 2>&1)" \
		"rc=-3 (No such process)" "a peer for a pid that does not exist: -ESRCH"
	if in_ns "$A" ip link show dev cgt-vh1 >/dev/null 2>&1; then
		fail "nothing left behind after -ESRCH"
	else
		pass "nothing left behind after -ESRCH"
	fi
	is "$(in_ns "$B" "$NETCAPS" veth-child "$PIF" "$NET" 2>&1)" \
		"rc=-17 (File exists)" "configuring the child end twice: -EEXIST"
	is "$(in_ns "$B" "$NETCAPS" veth-child cgt-none "$NET" 2>&1)" \
		"rc=-19 (No such device)" "a child end that does not exist: -ENODEV"
	is "$(in_ns "$A" "$NETCAPS" veth-del cgt-name-too-long 2>&1)" \
		"rc=-22 (Invalid argument)" "an interface name over 15 characters: -EINVAL"

	is "$(in_ns "$A" "$NETCAPS" veth-del "$HIF" 2>&1)" "rc=0" "launch_net_veth_del returns 0"
	if in_ns "$A" ip link show dev "$HIF" >/dev/null 2>&1; then
		fail "host end is gone"
	else
		pass "host end is gone"
	fi
	if in_ns "$B" ip link show dev "$PIF" >/dev/null 2>&1; then
		fail "child end went with it"
	else
		pass "child end went with it"
	fi
	is "$(in_ns "$A" "$NETCAPS" veth-del "$HIF" 2>&1)" "rc=-19 (No such device)" \
		"deleting it again: -ENODEV"
else
	fail "launch_net_veth_host returns 0" "$(cat "$TMP/host.out" 2>/dev/null)"
fi
kill_all

# ---- capabilities -----------------------------------------------------------

# caps_check WHAT OUT WANT: every Cap* line of OUT (lines "PREFIXCapXxx:\tHEX")
# as WANT says ("CapEff=HEX ..."), and NoNewPrivs 1.
caps_check()
{
	local what=$1 out=$2 want=$3 kv k v got

	for kv in $want NoNewPrivs=1; do
		k=${kv%%=*}
		v=${kv#*=}
		got=$(sed -n "s/^\(self \)\{0,1\}$k:[[:space:]]*//p" <<<"$out")
		is "$got" "$v" "$what: $k $v"
	done
}

ZERO=0000000000000000
RAW=0000000000002000 # 1 << CAP_NET_RAW (13)

out=$(unshare --net -- "$NETCAPS" caps drop 2>&1)
is "$(head -n1 <<<"$out")" "rc=0" "launch_caps_apply(drop_all) returns 0"
caps_check "drop_all, in the process" "$out" \
	"CapInh=$ZERO CapPrm=$ZERO CapEff=$ZERO CapBnd=$ZERO CapAmb=$ZERO"
out=$(unshare --net -- "$NETCAPS" caps drop cat /proc/self/status 2>&1 | grep -v '^self ')
caps_check "drop_all, after exec" "$out" \
	"CapInh=$ZERO CapPrm=$ZERO CapEff=$ZERO CapBnd=$ZERO CapAmb=$ZERO"

out=$(unshare --net -- "$NETCAPS" caps cap_net_raw 2>&1)
is "$(head -n1 <<<"$out")" "rc=0" "launch_caps_apply(keep=cap_net_raw) returns 0"
caps_check "keep cap_net_raw, in the process" "$out" \
	"CapInh=$RAW CapPrm=$RAW CapEff=$RAW CapBnd=$RAW CapAmb=$RAW"
out=$(unshare --net -- "$NETCAPS" caps NET_RAW cat /proc/self/status 2>&1 | grep -v '^self ')
caps_check "keep NET_RAW, after exec" "$out" \
	"CapInh=$RAW CapPrm=$RAW CapEff=$RAW CapBnd=$RAW CapAmb=$RAW"

if [ $HAVE_PING = 1 ]; then
	# a new netns allows no ICMP datagram sockets (ping_group_range "1 0"),
	# so ping needs CAP_NET_RAW there
	ok "ping on lo with cap_net_raw kept" \
		unshare --net -- "$NETCAPS" -l caps net_raw ping -c1 -W2 127.0.0.1
	if unshare --net -- "$NETCAPS" -l caps drop ping -c1 -W2 127.0.0.1 >"$TMP/ping.out" 2>&1; then
		fail "ping on lo fails without capabilities" "$(cat "$TMP/ping.out")"
	else
		pass "ping on lo fails without capabilities"
	fi
else
	skip "ping on lo with cap_net_raw kept" "ping (iputils-ping) not installed"
	skip "ping on lo fails without capabilities" "ping (iputils-ping) not installed"
fi

out=$(unshare --net -- "$NETCAPS" caps net_raw,bogus 2>&1)
is "$out" "netcaps: bad capability 'bogus' in 'net_raw,bogus'" \
	"a bad --caps list names the bad item"

# ---- the host was not touched -----------------------------------------------

is "$(host_links)" "$HOST_LINKS_BEFORE" "the host's interfaces are unchanged"
is "$(ip route show; ip -6 route show)" "$HOST_ROUTES_BEFORE" "the host's routes are unchanged"

done_testing
