#!/bin/sh
# Runs one test for automake's TAP driver.  A test that cannot run here prints
# the TAP plan "1..0 # SKIP reason" and exits 77 (the automake convention); the
# TAP driver would call any non-zero exit an error, so 77 is mapped to 0 and the
# plan alone makes the result SKIP.
#
# Lanes: `make -jN check` may start every test at once (tests/check-all.sh
# gives a large N); each script says in a line "# test-lane: LANE [COST]"
# within its first 30 lines how it may share the machine, and this wrapper
# makes it wait for its turn:
#   host (the default)  makes groups, kills by OOM, runs tmux or servers, reads
#                       the whole tree or the kernel log, or keeps time: one
#                       such test at a time;
#   cpu COST            a CPU-bound stage (a qemu VM, the fuzzer): one per CPU,
#                       and one more, at a time, the costliest waiting one first (COST: its
#                       usual seconds), so that the long stages do not end
#                       last.  Not niced: the host lane mostly sleeps and the
#                       scheduler favours it when it wakes, while on a shared
#                       machine a niced VM starves (4x slower under load 15);
#   free                reads files or runs its own processes only: any time.
# Compiled tests (the unit tests) are free.  CGTOP_TEST_LANES=0 turns lanes off.
case "$1" in
*.sh | *.test) run="bash" ;;
*) run= ;;
esac
lane=free cost=0
if [ -n "$run" ]; then
	spec=$(sed -n '1,30s/^# test-lane: *//p' "$1" 2>/dev/null | head -n 1)
	lane=host
	[ -n "$spec" ] && lane=${spec%% *}
	case $spec in *" "*) cost=${spec#* } cost=${cost%% *} ;; esac
	case $cost in '' | *[!0-9]*) cost=0 ;; esac
fi
[ "${CGTOP_TEST_LANES:-1}" = 0 ] && lane=free
command -v flock >/dev/null 2>&1 || lane=free
L=${top_builddir:-.}/tests/lanes
case $lane in host | cpu) mkdir -p "$L/wait" || lane=free ;; esac

case $lane in
host)
	# flock -o: the test does not inherit the lock, so a process it leaves
	# behind cannot hold the lane
	flock -o "$L/host.lock" $run "$@"
	rc=$?
	;;
cpu)
	# one more than the CPUs: a guest waits on its tests' sleeps and polls
	# much of the time (qemu at 55-60% of a CPU), so a third stage on two
	# CPUs ends the stages sooner; CGTOP_TEST_CPU_SLOTS overrides
	slots=${CGTOP_TEST_CPU_SLOTS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
	me=$L/wait/$(printf '%08d' "$cost").$$
	: >"$me"
	rc=
	while [ -z "$rc" ]; do
		# the costliest live waiter goes first
		top=
		for w in "$L"/wait/*; do
			[ -e "$w" ] || continue
			kill -0 "${w##*.}" 2>/dev/null || { rm -f "$w"; continue; }
			top=$w
		done
		if [ "$top" = "$me" ]; then
			i=0
			while [ $i -lt "$slots" ]; do
				flock -n -o -E 254 "$L/cpu.$i" sh -c 'rm -f "$0"; shift; exec "$@"' \
					"$me" -- $run "$@"
				rc=$?
				[ $rc -ne 254 ] && break
				rc=
				i=$((i + 1))
			done
		fi
		[ -n "$rc" ] || sleep 1
	done
	rm -f "$me"
	;;
*)
	$run "$@"
	rc=$?
	;;
esac
[ "$rc" -eq 77 ] && exit 0
exit "$rc"
