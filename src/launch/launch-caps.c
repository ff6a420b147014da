/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-caps.c - the privileges part of `cgtop --launch`: --caps LIST is
 * parsed into a bit mask with libcap's cap_from_name(), and in the child
 * before exec every capability not kept is dropped from the bounding,
 * ambient, effective, permitted and inheritable sets, and no_new_privs is
 * set.  The only file that includes <sys/capability.h>; nothing is printed.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>

#include <sys/capability.h>

#include "launch/launch-priv.h"

/* "cap_" + the longest name libcap knows ("checkpoint_restore") and room */
#define CAP_NAME_MAX 48

static int parse_one(const char *s, size_t len, cap_value_t *ret)
{
	char name[CAP_NAME_MAX];
	char *back;
	size_t i, off = 0;
	cap_value_t v;
	int same;

	if (len == 0)
		return -EINVAL;
	if (len < 4 || strncasecmp(s, "cap_", 4) != 0) {
		memcpy(name, "cap_", 4);
		off = 4;
	}
	if (off + len >= sizeof(name))
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = s[i];

		/* names only: libcap would also take numbers and stop at the
		 * first character that is not a letter or '_' */
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!(c >= 'a' && c <= 'z') && c != '_')
			return -EINVAL;
		name[off + i] = c;
	}
	name[off + len] = '\0';
	if (cap_from_name(name, &v) < 0 || v < 0 || v >= 64)
		return -EINVAL;
	/* the round trip guards against prefix matches in older libcaps */
	back = cap_to_name(v);
	if (!back)
		return -ENOMEM;
	same = strcasecmp(back, name) == 0;
	cap_free(back);
	if (!same)
		return -EINVAL;
	*ret = v;
	return 0;
}

int launch_caps_parse(const char *list, struct caps_spec *ret, const char **ret_bad)
{
	static char bad[CAP_NAME_MAX];
	const char *p = list, *end;
	uint64_t mask = 0;
	cap_value_t v;
	size_t len;
	int r;

	if (ret_bad)
		*ret_bad = NULL;
	if (!list || !ret) {
		if (ret_bad)
			*ret_bad = "";
		return -EINVAL;
	}
	for (;;) {
		end = strchrnul(p, ',');
		len = (size_t)(end - p);
		r = parse_one(p, len, &v);
		if (r < 0) {
			if (ret_bad) {
				/* the bad item alone, cut to fit */
				if (len >= sizeof(bad))
					len = sizeof(bad) - 1;
				memcpy(bad, p, len);
				bad[len] = '\0';
				*ret_bad = bad;
			}
			return r;
		}
		mask |= UINT64_C(1) << v;
		if (!*end)
			break;
		p = end + 1;
	}
	ret->keep = mask;
	ret->have_keep = true;
	return 0;
}

int launch_caps_apply(const struct caps_spec *c)
{
	cap_value_t vals[64];
	cap_flag_value_t f;
	cap_value_t max, i;
	uint64_t keep;
	int n = 0, r = 0;
	cap_t caps;

	if (!c || (!c->drop_all && !c->have_keep))
		return 0;
	keep = c->have_keep ? c->keep : 0;
	max = cap_max_bits();
	if (max > 64)
		max = 64; /* more than struct caps_spec can name; dropped below */

	/* Make every permitted capability effective: dropping from the
	 * bounding set needs CAP_SETPCAP in the effective set (after a setuid()
	 * with PR_SET_KEEPCAPS it is only permitted). */
	caps = cap_get_proc();
	if (!caps)
		return -errno;
	for (i = 0; i < max; i++) {
		if (cap_get_flag(caps, i, CAP_PERMITTED, &f) < 0)
			goto fail;
		if (f == CAP_SET) {
			if (keep & (UINT64_C(1) << i))
				vals[n++] = i;
			if (cap_set_flag(caps, CAP_EFFECTIVE, 1, &i, CAP_SET) < 0)
				goto fail;
		}
	}
	if (cap_set_proc(caps) < 0)
		goto fail;

	/* 1. bounding set: every capability the kernel has, but the kept */
	for (i = 0; i < cap_max_bits(); i++) {
		if (i < 64 && (keep & (UINT64_C(1) << i)))
			continue;
		if (cap_get_bound(i) <= 0)
			continue; /* not in the set (or unknown): nothing to drop */
		if (cap_drop_bound(i) < 0)
			goto fail;
	}

	/* 2. ambient set: clear it (EINVAL: a kernel without ambient caps) */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		goto fail;

	/* 3. effective, permitted, inheritable: the kept ones we hold */
	if (cap_clear(caps) < 0)
		goto fail;
	if (n > 0 && (cap_set_flag(caps, CAP_EFFECTIVE, n, vals, CAP_SET) < 0 ||
		      cap_set_flag(caps, CAP_PERMITTED, n, vals, CAP_SET) < 0 ||
		      cap_set_flag(caps, CAP_INHERITABLE, n, vals, CAP_SET) < 0))
		goto fail;
	if (cap_set_proc(caps) < 0)
		goto fail;
	cap_free(caps);
	caps = NULL;

	/* 4. the kept ones ambient too, so they survive exec as a non-root
	 * --user (ambient needs them permitted and inheritable: done above) */
	for (i = 0; i < n; i++)
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)vals[i], 0, 0) < 0 &&
		    errno != EINVAL)
			return -errno;

	/* 5. no exec may gain privileges (setuid bits, file capabilities) */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return 0;

fail:
	r = errno ? -errno : -EPERM;
	if (caps)
		cap_free(caps);
	return r;
}

static bool keeps(const struct caps_spec *c, cap_value_t v)
{
	return c && c->have_keep && v < 64 && (c->keep & (UINT64_C(1) << v));
}

bool launch_caps_keeps_admin(const struct caps_spec *c)
{
	return keeps(c, CAP_SYS_ADMIN);
}

bool launch_caps_keeps_file_override(const struct caps_spec *c)
{
	return keeps(c, CAP_DAC_OVERRIDE) || keeps(c, CAP_FOWNER);
}
