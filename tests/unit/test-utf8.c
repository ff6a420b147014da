/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-utf8.c - unit tests of src/base/utf8.c and src/base/json.c: the validator on every class of
 * ill-formed sequence (overlong, surrogate, above U+10FFFF, lone continuation, truncated,
 * 0xC0/0xC1/0xF5..0xFF) and on the boundaries of the well-formed ones; the text escape on
 * hostile names (terminal sequences, C1 controls, blanks, '=', quotes, backslashes) and its
 * round trip; JSON strings always well-formed UTF-8 without raw controls, with the exact
 * bytes beside them in hex.  Random byte strings check the round trips on many more.
 */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/utf8.h"
#include "../tap.h"

static void valid(const char *s, size_t len, uint32_t want_cp, const char *what)
{
	uint32_t cp = 0xdeadbeef;
	size_t n = utf8_char_len(s, len, &cp);

	if (!ok(n == len && cp == want_cp, "well-formed: %s", what))
		printf("#   length %zu (want %zu), U+%04X (want U+%04X)\n", n, len, (unsigned)cp,
		       (unsigned)want_cp);
}

static void invalid(const char *s, size_t len, const char *what)
{
	size_t n = utf8_char_len(s, len, NULL);

	if (!ok(n == 0 && !utf8_valid(s, len), "ill-formed: %s", what))
		printf("#   length %zu\n", n);
}

/* The inverse of utf8_escape_text: \\ -> \, \xNN -> byte NN.  -1 on a stray backslash. */
static int unescape(const char *s, char *out, size_t *ret_len)
{
	size_t o = 0;

	while (*s) {
		if (*s != '\\') {
			out[o++] = *s++;
			continue;
		}
		if (s[1] == '\\') {
			out[o++] = '\\';
			s += 2;
		} else if (s[1] == 'x' && s[2] && s[3]) {
			char h[3] = { s[2], s[3], 0 };
			out[o++] = (char)strtoul(h, NULL, 16);
			s += 4;
		} else {
			return -1;
		}
	}
	*ret_len = o;
	return 0;
}

static void escaped(const char *name, bool quoted, const char *want)
{
	struct buf b;

	buf_init(&b, 16);
	utf8_escape_text(&b, name, strlen(name), quoted);
	is_str(b.data, want, "text%s: %s", quoted ? " (quoted)" : "", want);
	buf_free(&b);
}

static void json(const char *name, const char *want, const char *what)
{
	struct buf b;

	buf_init(&b, 16);
	json_str(&b, name);
	json_hex_key(&b, "k", name);
	is_str(b.data, want, "json: %s", what);
	buf_free(&b);
}

/* No byte of s is a C0 control, DEL, or part of a C1 control (U+0080..U+009F). */
static bool no_controls(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9f))
			return false;
	}
	return true;
}

static void random_names(void)
{
	static const char pool[] = "\x1b\x07\x7f\x80\x9b\xbf\xc0\xc1\xc2\xc3\xa9\xe0\xed\xa0\xf0\xf4\x90"
				   "\x8f\xf5\xfe\xff \"'=\\/xa01";
	int bad_round = 0, bad_text = 0, bad_json = 0;
	struct buf b;

	buf_init(&b, 256);
	srand(12345);
	for (int i = 0; i < 20000; i++) {
		char name[24], back[24 * 4];
		size_t len = (size_t)(rand() % 20) + 1, blen;

		for (size_t j = 0; j < len; j++)
			name[j] = pool[rand() % (int)(sizeof(pool) - 1)];
		name[len] = '\0';

		b.len = 0;
		utf8_escape_text(&b, name, len, i & 1);
		if (unescape(b.data, back, &blen) < 0 || blen != len || memcmp(back, name, len) != 0)
			bad_round++;
		if (!utf8_valid(b.data, b.len) || !no_controls(b.data, b.len) || strchr(b.data, '"') ||
		    (!(i & 1) && (strchr(b.data, ' ') || strchr(b.data, '='))))
			bad_text++;

		b.len = 0;
		json_str(&b, name);
		if (!utf8_valid(b.data, b.len) || !no_controls(b.data, b.len))
			bad_json++;
	}
	buf_free(&b);
	is_int(bad_round, 0, "20000 random names: the text escape gives each name back exactly");
	is_int(bad_text, 0, "20000 random names: escaped text is UTF-8, no controls, no quote, blank or '='");
	is_int(bad_json, 0, "20000 random names: JSON strings are UTF-8 without raw controls");
}

/* The JSON string of s as json.h specifies it, a character at a time: the oracle for the
 * writer's runs. */
static void json_ref(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *end = s + strlen(s);

	buf_append(b, "\"", 1);
	while (s < end) {
		uint32_t cp;
		size_t n = utf8_char_len(s, (size_t)(end - s), &cp);

		if (*s == '"' || *s == '\\') {
			char e[2] = { '\\', *s };

			buf_append(b, e, 2);
			s++;
		} else if (!n) {
			buf_append(b, "\xef\xbf\xbd", 3);
			s++;
		} else if (utf8_is_control(cp) || cp == 0x2028 || cp == 0x2029) {
			char e[6] = {
				'\\',        'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15],
				hex[cp & 15]
			};

			buf_append(b, e, 6);
			s += n;
		} else {
			buf_append(b, s, n);
			s += n;
		}
	}
	buf_append(b, "\"", 1);
}

/* json_str_hex (one pass, plain runs 16 bytes a step) writes what the oracle and json_hex_key write,
 * and the text escape (plain runs 16 bytes a step) round-trips, on random paths of up to 200
 * bytes: long plain runs, and hostile bytes at every place of a 16-byte step. */
static void random_paths(void)
{
	static const char pool[] = "\x1b\x7f\x80\x9b\xc0\xc3\xa9\xe2\x80\xa8\xed\xa0\xf0\xff\"\\ ='";
	int bad = 0, bad_valid = 0, bad_text = 0;
	struct buf a, b;
	char back[200 * 4 + 1];
	size_t blen;

	buf_init(&a, 64);
	buf_init(&b, 64);
	srand(54321);
	for (int i = 0; i < 20000; i++) {
		char path[201];
		size_t len = (size_t)(rand() % 200) + 1;
		bool valid;

		for (size_t j = 0; j < len; j++)
			path[j] = rand() % 8 ? (char)('a' + rand() % 26)
					     : pool[rand() % (int)(sizeof(pool) - 1)];
		path[len] = '\0';
		a.len = b.len = 0;
		json_ref(&a, path);
		json_hex_key(&a, "k", path);
		valid = json_str_hex(&b, "k", path);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			bad++;
		if (valid != utf8_valid(path, strlen(path)))
			bad_valid++;
		/* the text escape's plain runs, 16 bytes a step too */
		b.len = 0;
		utf8_escape_text(&b, path, len, i & 1);
		if (unescape(b.data, back, &blen) < 0 || blen != len || memcmp(back, path, len) != 0 ||
		    !no_controls(b.data, b.len) || strchr(b.data, '"') ||
		    (!(i & 1) && (strchr(b.data, ' ') || strchr(b.data, '='))))
			bad_text++;
	}
	buf_free(&a);
	buf_free(&b);
	is_int(bad, 0,
	       "20000 random paths: json_str_hex writes the JSON string the oracle does, and the hex key");
	is_int(bad_valid, 0, "20000 random paths: json_str_hex tells well-formed UTF-8");
	is_int(bad_text, 0, "20000 random paths: the text escape gives each path back, without controls");
}

/* json_cursor_strn and json_cursor_hex write what the oracle and json_hex_key write into room of
 * exactly JSON_STR_MAX(len) + JSON_HEX_MAX(1, len) bytes and not a byte past it (guard bytes
 * after the room stay as they were); strings of every length up to 64 and of only the byte
 * that takes the most room (a C0 control, 6 bytes) reach the bound. */
static void cursor_strings(void)
{
	static const char pool[] = "\x01\x1b\x7f\x80\x9b\xc2\x9b\xc3\xa9\xe2\x80\xa8\xed\xa0\xf0\xff\"\\";
	int bad = 0, bad_guard = 0, bad_valid = 0, worst_ok = 0;
	struct buf a;

	buf_init(&a, 64);
	srand(12345);
	for (int i = 0; i < 20000; i++) {
		char s[65];
		size_t len = (size_t)i % 65, room = JSON_STR_MAX(len) + JSON_HEX_MAX(1, len);
		char *o = malloc(room + 32), *e;
		bool valid;

		for (size_t j = 0; j < len; j++)
			s[j] = i % 7 == 0   ? '\x01'
			       : rand() % 3 ? (char)('a' + rand() % 26)
					    : pool[rand() % (int)(sizeof(pool) - 1)];
		s[len] = '\0';
		memset(o, 0x5a, room + 32);
		e = json_cursor_strn(o, s, len, &valid);
		if (!valid)
			e = json_cursor_hex(e, "k", 1, s, len);
		a.len = 0;
		json_ref(&a, s);
		json_hex_key(&a, "k", s);
		if ((size_t)(e - o) != a.len || memcmp(o, a.data, a.len) != 0)
			bad++;
		for (size_t j = (size_t)(e - o); j < room + 32; j++)
			bad_guard += o[j] != 0x5a;
		bad_valid += valid != utf8_valid(s, len);
		worst_ok += i % 7 == 0 && len && (size_t)(e - o) == JSON_STR_MAX(len);
		free(o);
	}
	buf_free(&a);
	is_int(bad, 0, "20000 strings through the cursor: the oracle's JSON string and hex key");
	is_int(bad_guard, 0, "20000 strings through the cursor: nothing written past the end");
	is_int(bad_valid, 0, "20000 strings through the cursor: well-formed UTF-8 told");
	ok(worst_ok > 0, "strings of controls take JSON_STR_MAX exactly (%d)", worst_ok);
}

int main(void)
{
	/* well-formed, at the edges of each row of the table */
	valid("A", 1, 'A', "ASCII");
	valid("", 1, 0, "NUL is a character");
	valid("\x7f", 1, 0x7f, "DEL");
	valid("\xc2\x80", 2, 0x80, "U+0080 (lowest two-byte)");
	valid("\xc3\xa9", 2, 0xe9, "U+00E9");
	valid("\xdf\xbf", 2, 0x7ff, "U+07FF");
	valid("\xe0\xa0\x80", 3, 0x800, "U+0800 (lowest three-byte)");
	valid("\xe2\x82\xac", 3, 0x20ac, "U+20AC");
	valid("\xed\x9f\xbf", 3, 0xd7ff, "U+D7FF (below the surrogates)");
	valid("\xee\x80\x80", 3, 0xe000, "U+E000 (above the surrogates)");
	valid("\xef\xbf\xbd", 3, 0xfffd, "U+FFFD");
	valid("\xef\xbf\xbf", 3, 0xffff, "U+FFFF");
	valid("\xf0\x90\x80\x80", 4, 0x10000, "U+10000 (lowest four-byte)");
	valid("\xf4\x8f\xbf\xbf", 4, 0x10ffff, "U+10FFFF (highest)");

	/* ill-formed */
	invalid("\x80", 1, "lone continuation 0x80");
	invalid("\xbf", 1, "lone continuation 0xBF");
	invalid("\xc0\xaf", 2, "overlong '/' C0 AF");
	invalid("\xc1\xbf", 2, "overlong C1 BF");
	invalid("\xe0\x80\xaf", 3, "overlong '/' E0 80 AF");
	invalid("\xe0\x9f\xbf", 3, "overlong E0 9F BF");
	invalid("\xf0\x80\x80\xaf", 4, "overlong '/' F0 80 80 AF");
	invalid("\xf0\x8f\xbf\xbf", 4, "overlong F0 8F BF BF");
	invalid("\xed\xa0\x80", 3, "surrogate U+D800");
	invalid("\xed\xbf\xbf", 3, "surrogate U+DFFF");
	invalid("\xf4\x90\x80\x80", 4, "U+110000");
	invalid("\xf5\x80\x80\x80", 4, "F5");
	invalid("\xf7\xbf\xbf\xbf", 4, "F7 (U+1FFFFF)");
	invalid("\xf8\x88\x80\x80\x80", 5, "five-byte form");
	invalid("\xfe", 1, "0xFE");
	invalid("\xff", 1, "0xFF");
	invalid("\xe2\x82", 2, "truncated three-byte");
	invalid("\xf0\x90\x80", 3, "truncated four-byte");
	invalid("\xc3", 1, "truncated two-byte");
	invalid("\xc3\x41", 2, "two-byte with an ASCII second byte");
	invalid("\xe2\x28\xa1", 3, "three-byte with a bad second byte");
	invalid("\xe2\x82\x28", 3, "three-byte with a bad third byte");
	is_int(utf8_char_len("\xe2\x82\xac", 2, NULL), 0, "a length that cuts a character gives 0");
	is_int(utf8_char_len("A", 0, NULL), 0, "length 0 gives 0");
	ok(utf8_valid("/system.slice/caf\xc3\xa9-\xe2\x82\xac.service", 29), "a UTF-8 path is valid");
	ok(!utf8_valid("/k\xed\xa0\x80", 5), "a path with a surrogate is not");
	ok(utf8_valid("", 0), "the empty string is valid");

	/* the text escape */
	escaped("/system.slice/cron.service", false, "/system.slice/cron.service");
	escaped("/a\x1b]0;pwned\x07/b", false, "/a\\x1b]0;pwned\\x07/b");
	escaped("/csi\x1b[2J", false, "/csi\\x1b[2J");
	escaped("/c1\xc2\x9b"
		"31m",
		false, "/c1\\xc2\\x9b31m");
	escaped("/del\x7f", false, "/del\\x7f");
	escaped("/raw\x9b", false, "/raw\\x9b");
	escaped("/over\xc0\xaf", false, "/over\\xc0\\xaf");
	escaped("/sur\xed\xa0\x80", false, "/sur\\xed\\xa0\\x80");
	escaped("/big\xf4\x90\x80\x80", false, "/big\\xf4\\x90\\x80\\x80");
	escaped("/lone\x80", false, "/lone\\x80");
	escaped("/ff\xff", false, "/ff\\xff");
	escaped("/caf\xc3\xa9", false, "/caf\xc3\xa9");
	escaped("/sp ace", false, "/sp\\x20ace");
	escaped("/eq=x", false, "/eq\\x3dx");
	escaped("/q\"uote", false, "/q\\x22uote");
	escaped("/it's", false, "/it\\x27s");
	escaped("/sys-fsck\\x2d1.service", false, "/sys-fsck\\\\x2d1.service");
	escaped("/new\nline\ttab", false, "/new\\x0aline\\x09tab");
	escaped("Web Content", true, "Web Content");
	escaped("a=b \"c\" \\", true, "a=b \\x22c\\x22 \\\\");
	escaped("x\x1b"
		"y",
		true, "x\\x1by");

	/* JSON */
	json("/system.slice/cron.service", "\"/system.slice/cron.service\"", "plain");
	json("/caf\xc3\xa9", "\"/caf\xc3\xa9\"", "UTF-8 as it is");
	json("/q\"b\\", "\"/q\\\"b\\\\\"", "quote and backslash");
	json("/esc\x1b[2J\x07", "\"/esc\\u001b[2J\\u0007\"", "C0 controls as \\u00XX");
	json("/c1\xc2\x9b", "\"/c1\\u009b\"", "a C1 control as \\u009b");
	json("/ls\xe2\x80\xa8", "\"/ls\\u2028\"", "U+2028 escaped");
	json("/k\xed\xa0\x80", "\"/k\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"k_hex\":\"2f6beda080\"",
	     "a surrogate: U+FFFD a byte, and the exact bytes in hex");
	json("/k\xed\xa0\x81", "\"/k\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"k_hex\":\"2f6beda081\"",
	     "another surrogate: the same string, another hex");
	json("/ff\xff", "\"/ff\xef\xbf\xbd\",\"k_hex\":\"2f6666ff\"", "0xFF");
	json("/over\xc0\xaf", "\"/over\xef\xbf\xbd\xef\xbf\xbd\",\"k_hex\":\"2f6f766572c0af\"", "overlong");

	random_names();
	random_paths();
	cursor_strings();
	return tap_done();
}
