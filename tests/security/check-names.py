#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# check-names.py - helper of tests/security/names.sh: checks one output of cgtop that shows
# groups (or events, or a launch report) with hostile names, against the exact names, with an
# implementation of the escapes independent of cgtop's C code (Python's UTF-8 codec is strict:
# it refuses overlong forms, surrogates and code points above U+10FFFF).
#
#   check-names.py FORMAT NAMES OUTPUT PREFIX
#     FORMAT  text | json | prom | events-text | events-json | report | kmsg
#     NAMES   file of NUL-terminated names (bytes) below PREFIX
#     OUTPUT  what cgtop wrote (for kmsg: the file to write)
#     PREFIX  the parent group's path (events: the prefix used in the kernel records)
#
# Prints one line per check: "PASS what" or "FAIL what<TAB>detail"; exits 0.
import json
import re
import sys

fmt, names_file, out_file, prefix = sys.argv[1:5]
names = [n for n in open(names_file, 'rb').read().split(b'\0') if n]
prefix = prefix.encode()
paths = [prefix + b'/' + n for n in names]


def report(ok, what, detail=''):
    if ok:
        print('PASS ' + what)
    else:
        print('FAIL ' + what + '\t' + detail.replace('\n', ' ')[:400])


def chars(b):
    """(bytes, character or None) per well-formed character or ill-formed byte."""
    i = 0
    while i < len(b):
        for k in (1, 2, 3, 4):
            try:
                c = b[i:i + k].decode('utf-8')
                yield b[i:i + k], c
                i += k
                break
            except UnicodeDecodeError:
                continue
        else:
            yield b[i:i + 1], None
            i += 1


def is_control(c):
    o = ord(c)
    return o < 0x20 or 0x7f <= o <= 0x9f


def escape_text(b, quoted=False):
    """cgtop's text escape (utf8.h), written from its documentation."""
    out = []
    for raw, c in chars(b):
        if raw == b'\\':
            out.append('\\\\')
        elif raw == b'"' or (not quoted and raw in (b' ', b'=', b"'")):
            out.append('\\x%02x' % raw[0])
        elif c is None or is_control(c):
            out.append(''.join('\\x%02x' % x for x in raw))
        else:
            out.append(c)
    return ''.join(out)


def unescape_text(s):
    """The inverse: \\\\ -> \\, \\xNN -> byte NN; None on a stray backslash."""
    out = bytearray()
    i = 0
    e = s.encode()
    while i < len(e):
        if e[i:i + 1] != b'\\':
            out += e[i:i + 1]
            i += 1
        elif e[i + 1:i + 2] == b'\\':
            out += b'\\'
            i += 2
        elif e[i + 1:i + 2] == b'x' and re.fullmatch(rb'[0-9a-f]{2}', e[i + 2:i + 4]):
            out.append(int(e[i + 2:i + 4], 16))
            i += 4
        else:
            return None
    return bytes(out)


def valid_utf8(b):
    try:
        b.decode('utf-8', 'strict')
        return True
    except UnicodeDecodeError:
        return False


def kernel_escape(b):
    """How /dev/kmsg shows a name: bytes < 0x20, >= 0x7f and backslash as \\xNN."""
    return ''.join('\\x%02x' % x if x < 0x20 or x >= 0x7f or x == 0x5c else chr(x) for x in b)


def comm(n):
    """A task name as the kernel keeps it: at most 15 bytes."""
    return n[:15]


def byte_scan(raw, what, newline_ok=True):
    """No ESC, no other C0 (but newline), no DEL, no C1, in well-formed UTF-8."""
    if not valid_utf8(raw):
        try:
            raw.decode('utf-8')
        except UnicodeDecodeError as e:
            report(False, what + ': the output is well-formed UTF-8', 'at byte %d: %r' % (e.start, raw[max(0, e.start - 20):e.start + 10]))
        return None
    text = raw.decode('utf-8')
    bad = [c for c in text if is_control(c) and not (newline_ok and c == '\n')]
    report(True, what + ': the output is well-formed UTF-8')
    report(not bad, what + ': no ESC, C0, DEL or C1 character in the output',
           'found %r' % sorted(set(bad)))
    return text


raw = open(out_file, 'rb').read() if fmt != 'kmsg' else b''

if fmt == 'kmsg':
    # per name, the records of one memory.oom.group kill as one read() of /dev/kmsg gives each
    # (tests/data/kmsg/README): the invoking task, the summary (the victim in NAME/w), the kill,
    # the group line
    recs = []
    seq, ts = 100, 3019020625
    for i, n in enumerate(names):
        cg = kernel_escape(prefix + b'/' + n)
        task = kernel_escape(comm(n))
        pid = 5000 + i
        recs.append('4,%d,%d,-;%s invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, '
                    'oom_score_adj=0' % (seq, ts, task))
        recs.append('6,%d,%d,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,'
                    'mems_allowed=0,oom_memcg=%s,task_memcg=%s/w,task=%s,pid=%d,uid=0'
                    % (seq + 1, ts + 5, cg, cg, task, pid))
        recs.append('3,%d,%d,-;Memory cgroup out of memory: Killed process %d (%s) '
                    'total-vm:35248kB, anon-rss:32640kB, file-rss:1256kB, shmem-rss:0kB, UID:0 '
                    'pgtables:108kB oom_score_adj:0' % (seq + 2, ts + 10, pid, task))
        recs.append('6,%d,%d,-;Tasks in %s are going to be killed due to memory.oom.group set'
                    % (seq + 3, ts + 15, cg))
        seq += 4
        ts += 100000
    open(out_file, 'wb').write(('\n'.join(recs) + '\n').encode())
    sys.exit(0)

if fmt == 'text':
    text = byte_scan(raw, 'text')
    if text is not None:
        lines = [l for l in text.split('\n') if l]
        rows = {}
        for l in lines:
            f = l.split()
            rows.setdefault(f[0], []).append(len(f))
        widths = {len(l.split()) for l in lines}
        report(len(widths) == 1, 'text: every row has the same number of fields', repr(widths))
        mine = [k for k in rows if unescape_text(k) is not None and unescape_text(k).startswith(prefix + b'/')]
        report(len(mine) == len(names), 'text: one row per group (%d), no forged rows' % len(names),
               'got %d: %r' % (len(mine), mine))
        for n, p in zip(names, paths):
            want = escape_text(p)
            report(want in rows and unescape_text(want) == p,
                   'text: %r shown as %s, which gives it back' % (n, want), 'rows: %r' % list(rows)[:20])

elif fmt == 'json':
    text = byte_scan(raw, 'json', newline_ok=True)
    if text is not None:
        try:
            doc = json.loads(text, strict=True)
            report(True, 'json: a strict JSON parser accepts it')
        except ValueError as e:
            doc = None
            report(False, 'json: a strict JSON parser accepts it', str(e))
        if doc:
            exact = {}
            for g in doc['cgroups']:
                b = bytes.fromhex(g['path_hex']) if 'path_hex' in g else g['path'].encode()
                exact[b] = g
            for n, p in zip(names, paths):
                g = exact.get(p)
                report(g is not None, 'json: %r found exactly (path, or path_hex)' % n)
                if g is not None:
                    report(('path_hex' in g) == (not valid_utf8(p)),
                           'json: %r has path_hex only when it is not UTF-8' % n)
            mine = [b for b in exact if b.startswith(prefix + b'/')]
            report(len(mine) == len(names), 'json: %d distinct groups' % len(names), repr(mine))

elif fmt == 'prom':
    text = byte_scan(raw, 'prom')
    if text is not None:
        series = []
        label_re = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
        for l in text.split('\n'):
            if not l or l.startswith('#'):
                continue
            m = re.match(r'(\w+)\{(.*)\} \S+$', l)
            if not m:
                continue
            labels = dict(label_re.findall(m.group(2)))
            series.append((m.group(1), tuple(sorted(labels.items()))))
        dup = len(series) - len(set(series))
        report(dup == 0, 'prom: no duplicate series', '%d duplicates' % dup)
        exact = {}
        for name, labels in series:
            if name != 'cgtop_tasks':
                continue
            d = dict(labels)
            v = d['cgroup'].replace('\\n', '\n').replace('\\"', '"').replace('\\\\', '\\')
            b = bytes.fromhex(d['cgroup_hex']) if 'cgroup_hex' in d else v.encode()
            exact[b] = d
        for n, p in zip(names, paths):
            d = exact.get(p)
            report(d is not None, 'prom: %r found exactly (cgroup, or cgroup_hex)' % n)
        mine = [b for b in exact if b.startswith(prefix + b'/')]
        report(len(mine) == len(names), 'prom: %d distinct cgtop_tasks series' % len(names), repr(mine))

elif fmt == 'events-text':
    text = byte_scan(raw, 'events text')
    if text is not None:
        lines = [l for l in text.split('\n') if l]
        report(len(lines) == 2 * len(names), 'events text: two lines per name (%d)' % (2 * len(names)),
               'got %d' % len(lines))
        field_re = re.compile(r' ([a-z_-]+)=("(?:[^"\\]|\\.)*"|[^ ]*)')
        want_keys = {
            'oom_invoked': ['cgroup', 'task', 'source'],
            'oom_kill': ['cgroup', 'task_cgroup', 'pid', 'task', 'uid', 'anon-rss', 'file-rss',
                         'shmem-rss', 'oom_group', 'invoked_by', 'source'],
        }
        for i, l in enumerate(lines[:2 * len(names)]):
            n = names[i // 2]
            body = re.sub(r'^\[[ 0-9.]*\] ', '', l)
            kind, rest = (body.split(' ', 1) + [''])[:2]
            fields = field_re.findall(' ' + rest)
            keys = [k for k, _ in fields]
            report(keys == want_keys.get(kind),
                   'events text: %r, %s: the fields are the real ones, none forged' % (n, kind), repr(keys))
            d = dict(fields)
            cg = prefix + b'/' + n
            report(unescape_text(d.get('cgroup', '')) == cg,
                   'events text: %r, %s: cgroup= gives the name back' % (n, kind), d.get('cgroup', ''))
            t = d.get('task', '')
            report(t.startswith('"') and unescape_text(t[1:-1]) == comm(n),
                   'events text: %r, %s: task="..." gives the task name back' % (n, kind), t)
            if kind == 'oom_kill':
                report(unescape_text(d.get('task_cgroup', '')) == cg + b'/w',
                       'events text: %r: task_cgroup= gives the name back' % n, d.get('task_cgroup', ''))
                report(unescape_text(d.get('oom_group', '')) == cg,
                       'events text: %r: oom_group= gives the name back' % n, d.get('oom_group', ''))
                ib = d.get('invoked_by', '')
                report(ib.startswith('"') and unescape_text(ib[1:-1]) == comm(n),
                       'events text: %r: invoked_by="..." gives the task name back' % n, ib)

elif fmt == 'events-json':
    text = byte_scan(raw, 'events json')
    if text is not None:
        evs = []
        for l in text.split('\n'):
            if l:
                try:
                    evs.append(json.loads(l, strict=True))
                except ValueError as e:
                    report(False, 'events json: a strict JSON parser accepts every line', str(e))

        def exact(d, k):
            return bytes.fromhex(d[k + '_hex']) if k + '_hex' in d else (d[k] or '').encode()
        report(len(evs) == 2 * len(names), 'events json: two objects per name (%d)' % (2 * len(names)))
        for i, e in enumerate(evs[:2 * len(names)]):
            n = names[i // 2]
            cg = prefix + b'/' + n
            report(exact(e, 'cgroup') == cg, 'events json: %r, %s: cgroup exact' % (n, e['kind']),
                   repr(exact(e, 'cgroup')))
            report(exact(e, 'task') == comm(n), 'events json: %r, %s: task exact' % (n, e['kind']),
                   repr(exact(e, 'task')))
            if e['kind'] == 'oom_kill':
                report(exact(e, 'task_cgroup') == cg + b'/w', 'events json: %r: task_cgroup exact' % n)
                report(exact(e, 'oom_group') == cg, 'events json: %r: oom_group exact' % n)
                report(exact(e['invoked_by'], 'task') == comm(n), 'events json: %r: invoked_by task exact' % n)

elif fmt == 'report':
    text = byte_scan(raw, 'report')
    if text is not None:
        try:
            r = json.loads(text, strict=True)
            report(True, 'report: a strict JSON parser accepts it')
        except ValueError as e:
            r = None
            report(False, 'report: a strict JSON parser accepts it', str(e))
        if r:
            cg = bytes.fromhex(r['cgroup_hex']) if 'cgroup_hex' in r else r['cgroup'].encode()
            report(cg.endswith(b'/' + names[0]), 'report: cgroup exact (%r)' % names[0], repr(cg))
else:
    sys.exit('unknown format ' + fmt)
