/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-names.c - libFuzzer target for the three writers of names (a group path or a task name
 * of any bytes): the text escape (utf8_escape_text, plain and quoted), JSON strings (json_str
 * and json_hex_key) and Prometheus labels (prom_label).  For each, the output must be
 * well-formed UTF-8 with no control character but what the format allows, must not let the
 * name end its field (no raw blank, '=' or '"' in text, no raw '"' in JSON or a label), and
 * must give the name back: the text by undoing \\ and \xNN, JSON and Prometheus by undoing
 * their escapes where the name was UTF-8 (and the hex beside it otherwise).  Any failure traps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "output/output.h"
#include "base/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool cond)
{
	if (!cond)
		__builtin_trap();
}

/* Well-formed UTF-8 without C0 (but allowed), DEL or C1 controls. */
static void clean_utf8(const char *s, size_t len, const char *allowed)
{
	check(utf8_valid(s, len));
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_char_len(s + i, len - i, &cp);

		check(n > 0);
		check(!utf8_is_control(cp) || (cp < 0x80 && strchr(allowed, (int)cp)));
		i += n;
	}
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* hex digits -> bytes into out; length or -1 */
static long unhex(const char *h, size_t len, char *out)
{
	if (len % 2)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int a = hexval(h[i]), b = hexval(h[i + 1]);
		if (a < 0 || b < 0)
			return -1;
		out[i / 2] = (char)(a << 4 | b);
	}
	return (long)(len / 2);
}

static void text(const char *name, size_t len, bool quoted, char *back)
{
	struct buf b;
	size_t o = 0;

	buf_init(&b, 64);
	utf8_escape_text(&b, name, len, quoted);
	clean_utf8(b.data, b.len, "");
	for (size_t i = 0; i < b.len; i++) {
		char c = b.data[i];

		check(c != '"' && (quoted || (c != ' ' && c != '=' && c != '\'')));
		if (c != '\\') {
			back[o++] = c;
		} else if (i + 1 < b.len && b.data[i + 1] == '\\') {
			back[o++] = '\\';
			i++;
		} else {
			check(i + 3 < b.len && b.data[i + 1] == 'x' && unhex(b.data + i + 2, 2, back + o) == 1);
			o++;
			i += 3;
		}
	}
	check(o == len && memcmp(back, name, len) == 0);
	buf_free(&b);
}

/* The name as a writer that replaces ill-formed bytes (and, for labels, controls but the
 * newline) by U+FFFD shows it; returns whether anything was replaced. */
static bool replaced(const char *name, size_t len, bool controls, char *out, size_t *ret_len)
{
	size_t o = 0;
	bool any = false;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_char_len(name + i, len - i, &cp);

		if (n == 0 || (controls && utf8_is_control(cp) && cp != '\n')) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i += n ? n : 1;
			any = true;
		} else {
			memcpy(out + o, name + i, n);
			o += n;
			i += n;
		}
	}
	*ret_len = o;
	return any;
}

static void json(const char *name, size_t len, char *want, char *back)
{
	struct buf b;
	size_t wlen, o = 0, i;
	bool bad = replaced(name, len, false, want, &wlen);

	buf_init(&b, 64);
	json_str(&b, name);
	json_hex_key(&b, "k", name);
	clean_utf8(b.data, b.len, "");
	check(b.data[0] == '"');
	for (i = 1; i < b.len && b.data[i] != '"'; i++) {
		if (b.data[i] != '\\') {
			back[o++] = b.data[i];
			continue;
		}
		i++;
		check(i < b.len);
		if (b.data[i] == '"' || b.data[i] == '\\') {
			back[o++] = b.data[i];
		} else {
			char cp[2];
			uint32_t u;

			check(b.data[i] == 'u' && i + 4 < b.len && unhex(b.data + i + 1, 4, cp) == 2);
			u = (uint32_t)(unsigned char)cp[0] << 8 | (unsigned char)cp[1];
			check(utf8_is_control(u) || u == 0x2028 || u == 0x2029);
			if (u < 0x80) {
				back[o++] = (char)u;
			} else if (u < 0x800) {
				back[o++] = (char)(0xc0 | u >> 6);
				back[o++] = (char)(0x80 | (u & 0x3f));
			} else {
				back[o++] = (char)(0xe0 | u >> 12);
				back[o++] = (char)(0x80 | (u >> 6 & 0x3f));
				back[o++] = (char)(0x80 | (u & 0x3f));
			}
			i += 4;
		}
	}
	check(i < b.len && o == wlen && memcmp(back, want, wlen) == 0);
	i++;
	if (bad) {
		static const char key[] = ",\"k_hex\":\"";
		check(b.len - i == sizeof(key) - 1 + 2 * len + 1 && memcmp(b.data + i, key, sizeof(key) - 1) == 0);
		check(unhex(b.data + i + sizeof(key) - 1, 2 * len, back) == (long)len && memcmp(back, name, len) == 0);
	} else {
		check(i == b.len);
	}
	buf_free(&b);
}

static void label(const char *name, size_t len, char *want, char *back)
{
	static const char head[] = "cgroup=\"", hex[] = "\",cgroup_hex=\"";
	struct buf b;
	size_t wlen, o = 0, i;
	bool bad = replaced(name, len, true, want, &wlen);

	buf_init(&b, 64);
	prom_label(&b, "cgroup", name);
	clean_utf8(b.data, b.len, "");
	check(memcmp(b.data, head, sizeof(head) - 1) == 0);
	for (i = sizeof(head) - 1; i < b.len && b.data[i] != '"'; i++) {
		if (b.data[i] != '\\') {
			back[o++] = b.data[i];
			continue;
		}
		i++;
		check(i < b.len && (b.data[i] == '"' || b.data[i] == '\\' || b.data[i] == 'n'));
		back[o++] = b.data[i] == 'n' ? '\n' : b.data[i];
	}
	check(i < b.len && o == wlen && memcmp(back, want, wlen) == 0);
	if (bad) {
		check(b.len - i == sizeof(hex) - 1 + 2 * len + 1 && memcmp(b.data + i, hex, sizeof(hex) - 1) == 0);
		check(unhex(b.data + i + sizeof(hex) - 1, 2 * len, back) == (long)len && memcmp(back, name, len) == 0);
	} else {
		check(i + 1 == b.len);
	}
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a name is bytes up to a NUL, as the kernel gives it */
	size_t len = strnlen((const char *)data, size);
	char *name = malloc(len + 1), *want = malloc(3 * len + 1), *back = malloc(3 * len + 1);

	if (!name || !want || !back)
		abort();
	memcpy(name, data, len);
	name[len] = '\0';
	text(name, len, false, back);
	text(name, len, true, back);
	json(name, len, want, back);
	label(name, len, want, back);
	free(name);
	free(want);
	free(back);
	return 0;
}
