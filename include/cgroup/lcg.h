/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lcg.h - groups that cgtop makes, limits and removes, in every hierarchy of
 * cg_discover's model: v1 through libcgroup, v2 through its files
 * (cg-libcgroup.c, the only file that includes <libcgroup.h>).  Used by the
 * launcher and by the dashboard's limit actions.
 */
#ifndef CGTOP_LCG_H
#define CGTOP_LCG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/cg-error.h"
#include "cgroup/cgroup.h"
#include "cgroup/limits.h"

/* The launcher's view of one hierarchy of cg_discover's model: the group it
 * makes or uses there, and what it made. */
struct lcg_hier {
	const struct cg_hier *ch; /* in lcg.hs: mount point, controllers, our own group */
	bool v2;
	/* the group, once resolved */
	bool used;
	char *path;     /* kernel name of the group */
	char *rel;      /* its directory below the mount point ("" the mount's root) */
	char *dir;      /* mount point and rel, for messages */
	char **created; /* rel of each directory made here, top-down (parents then group) */
	int ncreated, created_cap;
};

struct lcg {
	struct cg_hierarchies hs; /* cg_discover's, the one model of the hierarchies */
	int n;
	struct lcg_hier h[CG_MAX_HIER]; /* those of hs with a controller */
	bool v1, v2;                    /* any v1 controller hierarchy, a cgroup2 mount */
	bool skip_empty_v2; /* attach: leave out a v2 hierarchy that has no memory, pids, cpu or cpuset */
};

/* The hierarchies with a controller, from cg_discover on the live system. */
int lcg_discover(struct lcg *g);
/* Free g (allocated by the caller with calloc) and what it recorded. */
void lcg_free(struct lcg *g);
/* For _cleanup_: lcg_free(*g) (NULL is nothing). */
static inline void lcg_freep(struct lcg **g)
{
	lcg_free(*g);
}
/* The group's directory in hierarchy i, opened O_RDONLY|O_DIRECTORY below the
 * mount point (for clone3's CLONE_INTO_CGROUP); fd or -errno. */
int lcg_open_group(const struct lcg *g, int i);
/* Index of the cgroup2 hierarchy or -1. */
int lcg_v2(const struct lcg *g);
/* Nothing below prints: each returns 0 or -errno, the sentence for the user in err
 * (may be NULL). */
/* Choose the hierarchies for these limits and the group's path in each: parent
 * is "self", or a kernel path; name is the last component. */
int lcg_resolve(struct lcg *g, const struct cg_limits *l, const char *parent, const char *name,
		struct cg_error *err);
/* Create the resolved group (and missing parents) with the limits in every
 * chosen hierarchy; on failure removes what it made. */
int lcg_create(struct lcg *g, const struct cg_limits *l, struct cg_error *err);
/* Use an existing group PATH in every hierarchy where it exists. */
int lcg_use_existing(struct lcg *g, const char *path, struct cg_error *err);
/* Write the limits into the (existing) group. */
int lcg_set_limits(struct lcg *g, const struct cg_limits *l, struct cg_error *err);
/* Put process pid (all its threads) into the group in every chosen hierarchy
 * (skip: index of a hierarchy already done, e.g. by CLONE_INTO_CGROUP, or -1). */
int lcg_attach(struct lcg *g, pid_t pid, int skip, struct cg_error *err);
/* Kill every process left in the group, then remove what lcg_create made. */
int lcg_destroy(struct lcg *g, struct cg_error *err);
/* Read FILE of the group in the first chosen hierarchy that has it into buf
 * (without trailing newlines); the length, -EFBIG when it does not fit. */
int lcg_read(const struct lcg *g, const char *file, char *buf, size_t size);
/* The same in hierarchy i only. */
int lcg_read_in(const struct lcg *g, int i, const char *file, char *buf, size_t size);
/* Group path for messages: the path in the first used hierarchy. */
const char *lcg_path(const struct lcg *g);

/* Write VALUE to FILE of the v1 group REL (path below the mount MNT of
 * CONTROLLER's hierarchy; "." the root) through libcgroup, as every v1 limit
 * is written (the launcher's and the dashboard's); -EXDEV when libcgroup sees
 * that controller mounted elsewhere.  0 or -errno. */
int lcg_set_value(const char *mnt, const char *rel, const char *controller, const char *file,
		  const char *value);

#endif
