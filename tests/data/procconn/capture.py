#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# capture.py - records datagrams of the kernel's proc connector for the parser
# test (root, by hand; never run by make): listens, forks a child that execs
# /bin/true, and writes each datagram to DIR/NN-KIND.bin.  Usage: capture.py DIR
import os, socket, struct, sys

NETLINK_CONNECTOR, CN_IDX_PROC, CN_VAL_PROC = 11, 1, 1
NLMSG_DONE, PROC_CN_MCAST_LISTEN = 3, 1
KINDS = {0: "none", 1: "fork", 2: "exec", 0x80000000: "exit"}

out = sys.argv[1]
s = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_CONNECTOR)
s.bind((os.getpid(), CN_IDX_PROC))
cn = struct.pack("=IIIIHH", CN_IDX_PROC, CN_VAL_PROC, 0, 0, 4, 0) + struct.pack("=I", PROC_CN_MCAST_LISTEN)
s.send(struct.pack("=IHHII", 16 + len(cn), NLMSG_DONE, 0, 0, os.getpid()) + cn)
me = os.getpid()
pid = os.fork()
if pid == 0:
    os.execv("/bin/true", ["true"])
os.waitpid(pid, 0)
seen, n = set(), 0
s.settimeout(2)
while len(seen) < 4:
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    what, = struct.unpack_from("=I", d, 16 + 20)
    # only ours: the ack, and the fork, exec and exit of our child
    if what == 1:
        ptgid, = struct.unpack_from("=I", d, 16 + 20 + 16 + 4)
        if ptgid != me:
            continue
    elif what in (2, 0x80000000):
        p, = struct.unpack_from("=I", d, 16 + 20 + 16)
        if p != pid:
            continue
    elif what != 0:
        continue
    kind = KINDS[what]
    if kind in seen:
        continue
    seen.add(kind)
    with open(os.path.join(out, "%02d-%s.bin" % (n, kind)), "wb") as f:
        f.write(d)
    n += 1
print("parent", me, "child", pid)
