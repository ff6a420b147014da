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

/* openat2(2), Linux 5.6: the launcher opens groups below a hierarchy's mount
 * point with RESOLVE_BENEATH.  Numbers from 424 on are the same on every
 * architecture but alpha. */
#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#else
#include <stdint.h>
struct open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#endif
#if !HAVE_DECL_SYS_OPENAT2 && !defined(SYS_openat2)
#define SYS_openat2 437
#endif

/* mount_setattr(2), Linux 5.12: the launcher makes /sys, /proc/sys and the
 * cgroup mounts read-only, recursively, for a command without CAP_SYS_ADMIN.
 * (<linux/mount.h> clashes with <sys/mount.h> before glibc 2.36.) */
#if !HAVE_DECL_SYS_MOUNT_SETATTR && !defined(SYS_mount_setattr)
#define SYS_mount_setattr 442
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

#endif
