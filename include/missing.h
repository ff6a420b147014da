/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * missing.h - kernel constants that old headers may lack (configure probes them).
 */
#ifndef CGTOP_MISSING_H
#define CGTOP_MISSING_H

#ifdef HAVE_LINUX_MAGIC_H
#include <linux/magic.h>
#endif

#if !HAVE_DECL_CGROUP2_SUPER_MAGIC && !defined(CGROUP2_SUPER_MAGIC)
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#if !HAVE_DECL_CGROUP_SUPER_MAGIC && !defined(CGROUP_SUPER_MAGIC)
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif
#if !HAVE_DECL_TMPFS_MAGIC && !defined(TMPFS_MAGIC)
#define TMPFS_MAGIC 0x01021994
#endif

#endif
