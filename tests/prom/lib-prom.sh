# SPDX-License-Identifier: GPL-2.0-or-later
# lib-prom.sh - shared by the tests/prom scripts (sourced after tests/live/lib.sh):
# a free loopback port, and waiting for an HTTP endpoint to answer.

# free_port: prints a TCP port nothing listens on at 127.0.0.1 (bash /dev/tcp
# connects only when something listens).
free_port()
{
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			printf '%s\n' "$p"
			return 0
		fi
	done
	return 1
}

# wait_http URL [SECONDS] [PID]: waits until URL answers 200 (and PID lives).
wait_http()
{
	local url=$1 tenths=$((${2:-30} * 10)) pid=${3:-}
	while [ "$tenths" -gt 0 ]; do
		[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null)" = 200 ] && return 0
		[ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null && return 1
		sleep 0.1
		tenths=$((tenths - 1))
	done
	return 1
}
