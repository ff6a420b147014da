/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-record-psi.c - the compact pressure of a recorded row (record-psi.c)
 * from real pressure files (tests/data): written, parsed back and printed
 * as the live JSON object, byte for byte; an object of schema 1 and 2
 * printed as it is; text that is not the compact array refused.
 */
#include <errno.h>
#include <string.h>

#include "base/parse.h"
#include "output/output.h"
#include "record/record-psi.h"
#include "../tap.h"
#include "testdata.h"

#define V2 "cgroup2/6.1/"
#define HY "hybrid/6.18/"

/* three captured files as one group's psi: compact, parsed back, printed */
static void roundtrip(const char *cpu, const char *mem, const char *io, unsigned valid)
{
	const char *rel[3] = { cpu, mem, io };
	struct psi p[3], q[3];
	struct buf live, compact, replay;
	unsigned got = 0;

	memset(p, 0, sizeof(p));
	for (int i = 0; i < 3; i++) {
		size_t len;
		const char *b;
		if (!(valid & (1u << i)))
			continue;
		b = load(rel[i], &len);
		is_int(parse_psi(b, len, &p[i]), 0, "parse_psi %s", rel[i]);
	}
	buf_init(&live, 512);
	buf_init(&compact, 256);
	buf_init(&replay, 512);
	output_json_psi(&live, p, valid);
	rec_psi_compact(&compact, p, valid);
	ok(compact.len * 2 < live.len, "compact %zu bytes, the object %zu: %.*s", compact.len, live.len,
	   (int)compact.len, compact.data);
	is_int(rec_psi_parse(compact.data, compact.len, q, &got), 0, "the compact array parses back");
	is_int((int)got, (int)valid, "the same files read");
	rec_psi_json(&replay, compact.data, compact.len);
	ok(replay.len == live.len && memcmp(replay.data, live.data, live.len) == 0,
	   "printed back as the live object: %.*s", (int)replay.len, replay.data);
	buf_free(&live);
	buf_free(&compact);
	buf_free(&replay);
}

static void bad(const char *s)
{
	struct psi p[3];
	unsigned valid = 7;

	is_int(rec_psi_parse(s, strlen(s), p, &valid), -EINVAL, "refused: %s", s);
}

int main(void)
{
	roundtrip(V2 "lab/cpu.pressure", V2 "lab/memory.pressure", V2 "lab/io.pressure", 7);
	roundtrip(HY "unified/cpu.pressure", HY "unified/memory.pressure", HY "unified/io.pressure", 7);
	roundtrip(V2 "proc/pressure-cpu", NULL, V2 "lab/io.pressure", 5);

	/* an object of schema 1 or 2: as it is */
	const char *obj = "{\"cpu\":null,\"memory\":null,\"io\":null}";
	struct buf b;
	buf_init(&b, 64);
	rec_psi_json(&b, obj, strlen(obj));
	ok(b.len == strlen(obj) && memcmp(b.data, obj, b.len) == 0, "an object is printed as it is");
	buf_free(&b);

	bad("");
	bad("[]");
	bad("[null,null]");
	bad("[null,null,null,null]");
	bad("[[null],null,null]");
	bad("[[[1,2,3],null],null,null]");
	bad("[[[1,2,3,-4],null],null,null]");
	bad("[[[1,2,3,x],null],null,null]");
	bad("[null,null,null] ");
	td_free_all();
	return tap_done();
}
