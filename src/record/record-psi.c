/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record-psi.c - the compact pressure of a recorded row (record-psi.h):
 * written from the values read, parsed back, and printed as live JSON
 * prints the psi key (output_json_psi), so a replay prints what live batch
 * printed.  Pure: no I/O.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/output.h"
#include "record/record-psi.h"

/* An average as JSON prints it (%.2f), without the zeros that say nothing:
 * 14.40 -> 14.4, 0.00 -> 0; parsed back, %.2f prints the same. */
static void put_avg(struct buf *b, double v)
{
	char t[48];
	int n = snprintf(t, sizeof(t), "%.2f", v);

	if (n <= 0 || (size_t)n >= sizeof(t))
		return;
	while (n > 0 && t[n - 1] == '0')
		n--;
	if (n > 0 && t[n - 1] == '.')
		n--;
	buf_append(b, t, (size_t)n);
}

static void put_line(struct buf *b, bool has, const struct psi_line *l)
{
	if (!has) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "[");
	put_avg(b, l->avg10);
	buf_puts(b, ",");
	put_avg(b, l->avg60);
	buf_puts(b, ",");
	put_avg(b, l->avg300);
	buf_printf(b, ",%llu]", (unsigned long long)l->total);
}

void rec_psi_compact(struct buf *b, const struct psi *p, unsigned valid)
{
	buf_puts(b, "[");
	for (int i = 0; i < 3; i++) {
		if (i)
			buf_puts(b, ",");
		if (!(valid & (1u << i)) || !p) {
			buf_puts(b, "null");
			continue;
		}
		buf_puts(b, "[");
		put_line(b, p[i].has_some, &p[i].some);
		buf_puts(b, ",");
		put_line(b, p[i].has_full, &p[i].full);
		buf_puts(b, "]");
	}
	buf_puts(b, "]");
}

/* ---- parsing: exactly the grammar written above ---- */

struct cur {
	const char *p, *end;
};

static bool lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* A number up to the next ',' or ']' (copied: the text has no NUL). */
static bool num(struct cur *c, double *d, unsigned long long *u)
{
	char t[48], *e;
	size_t n = 0;

	while (c->p + n < c->end && c->p[n] != ',' && c->p[n] != ']')
		n++;
	if (n == 0 || n >= sizeof(t))
		return false;
	memcpy(t, c->p, n);
	t[n] = 0;
	errno = 0;
	if (u) {
		if (t[0] < '0' || t[0] > '9')
			return false;
		*u = strtoull(t, &e, 10);
	} else {
		*d = strtod(t, &e);
	}
	if (*e || errno)
		return false;
	c->p += n;
	return true;
}

static bool line(struct cur *c, bool *has, struct psi_line *l)
{
	unsigned long long total;

	*has = false;
	if (lit(c, "null"))
		return true;
	if (!lit(c, "[") || !num(c, &l->avg10, NULL) || !lit(c, ",") || !num(c, &l->avg60, NULL) ||
	    !lit(c, ",") || !num(c, &l->avg300, NULL) || !lit(c, ",") || !num(c, NULL, &total) ||
	    !lit(c, "]"))
		return false;
	l->total = total;
	*has = true;
	return true;
}

int rec_psi_parse(const char *s, size_t len, struct psi *p, unsigned *valid)
{
	struct cur c = { s, s + len };

	memset(p, 0, 3 * sizeof(*p));
	*valid = 0;
	if (!lit(&c, "["))
		return -EINVAL;
	for (int i = 0; i < 3; i++) {
		if (i && !lit(&c, ","))
			return -EINVAL;
		if (lit(&c, "null"))
			continue;
		if (!lit(&c, "[") || !line(&c, &p[i].has_some, &p[i].some) || !lit(&c, ",") ||
		    !line(&c, &p[i].has_full, &p[i].full) || !lit(&c, "]"))
			return -EINVAL;
		*valid |= 1u << i;
	}
	return lit(&c, "]") && c.p == c.end ? 0 : -EINVAL;
}

void rec_psi_json(struct buf *b, const char *s, size_t len)
{
	struct psi p[3];
	unsigned valid;

	if (len && s[0] == '[' && rec_psi_parse(s, len, p, &valid) == 0)
		output_json_psi(b, p, valid);
	else
		buf_append(b, s, len); /* an object, as schema 1 and 2 stored it */
}
