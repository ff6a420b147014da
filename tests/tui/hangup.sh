#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# hangup.sh - the dashboard quits when its terminal hangs up, also when no
# SIGHUP reaches it: cgtop runs on a pseudo-terminal that is not its
# controlling terminal (a new session that never took it, as under a tracer
# that keeps the signal or a supervisor's pty), and the other side is
# closed after the first screen.  A read of the terminal then gives 0 at
# every turn: cgtop must end within seconds, not spin at full CPU (as it did
# under strace in a benchmark's tmux that was killed: 35 minutes at 20 % of
# a CPU).  The captured v2 tree under --sysroot: no live group, no kernel
# log.  Needs python3 (else skips, 77).
# test-lane: free (a captured tree and its own processes; tests/tap-wrap.sh)
set -u

TUI_DIR=${top_srcdir:+$top_srcdir/tests/tui}
TUI_DIR=${TUI_DIR:-$(cd "$(dirname "$0")" && pwd)}
# shellcheck source=tests/live/lib.sh
. "$TUI_DIR/../live/lib.sh"
top_srcdir=${top_srcdir:-$(cd "$TUI_DIR/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
CGTOP=${CGTOP:-$top_builddir/cgtop}
[ -x "$CGTOP" ] || bail_out "cgtop binary $CGTOP not found"
command -v python3 >/dev/null || skip_all "python3 is not installed"
dump=$top_srcdir/tests/golden/dumps/v2.tar.xz
[ -f "$dump" ] || skip_all "no captured tree"

TMP=$(mktemp -d /tmp/cgtop-hangup.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/root" "$TMP/config"
tar -xJf "$dump" -C "$TMP/root" || bail_out "cannot unpack $dump"

# prints "screen" once the first screen is out, then "exited STATUS" or
# "running CPU-MS" 10 s after the other side of the terminal was closed
out=$(XDG_CONFIG_HOME=$TMP/config TERM=xterm-256color python3 - "$TMP/err" "$CGTOP" --sysroot "$TMP/root" -d 1 <<'PY'
import os, select, signal, sys, time
err, argv = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()  # a session with no controlling terminal: the pty never becomes it
    for fd in (0, 1):
        os.dup2(slave, fd)
    e = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(e, 2)
    os.closerange(3, 256)
    os.execv(argv[0], argv)
os.close(slave)
seen, end = b"", time.time() + 30
while b"Control Group" not in seen and time.time() < end:
    r, _, _ = select.select([master], [], [], 0.5)
    if r:
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
print("screen" if b"Control Group" in seen else "no screen", flush=True)
os.close(master)
end = time.time() + 10
while time.time() < end:
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        print("exited %d" % os.waitstatus_to_exitcode(status))
        sys.exit(0)
    time.sleep(0.1)
with open("/proc/%d/stat" % pid) as f:
    fields = f.read().rsplit(")", 1)[1].split()
print("running %d" % ((int(fields[11]) + int(fields[12])) * 1000 // os.sysconf("SC_CLK_TCK")))
os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
PY
)
is "$(sed -n 1p <<<"$out")" screen "the dashboard drew its first screen on a terminal that is not its controlling one"
end=$(sed -n 2p <<<"$out")
if [[ $end == exited* ]]; then
	pass "it ends within 10 s of the terminal's hangup, no SIGHUP sent ($end)"
else
	fail "it ends within 10 s of the terminal's hangup, no SIGHUP sent" "got: ${end:-nothing}; stderr: $(head -c 300 "$TMP/err")"
fi
done_testing
