/* SPDX-License-Identifier: GPL-2.0-or-later */
/* actions.c - STUB */
#include "actions.h"
#include <errno.h>
#include <stdio.h>
int action_set_mem_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *msg, size_t size)
{ (void)t; (void)n; (void)value; snprintf(msg, size, "not yet"); return -ENOSYS; }
int action_set_pids_max(const struct cg_tree *t, const struct cg_node *n, const char *value, char *msg, size_t size)
{ (void)t; (void)n; (void)value; snprintf(msg, size, "not yet"); return -ENOSYS; }
int action_attach(const struct cg_tree *t, const struct cg_node *n, const char *pid, char *msg, size_t size)
{ (void)t; (void)n; (void)pid; snprintf(msg, size, "not yet"); return -ENOSYS; }
int action_frozen(const struct cg_tree *t, const struct cg_node *n, bool *ret) { (void)t; (void)n; *ret = false; return -ENOSYS; }
int action_freeze(const struct cg_tree *t, const struct cg_node *n, bool freeze, char *msg, size_t size)
{ (void)t; (void)n; (void)freeze; snprintf(msg, size, "not yet"); return -ENOSYS; }
int action_kill(const struct cg_tree *t, const struct cg_node *n, char *msg, size_t size)
{ (void)t; (void)n; snprintf(msg, size, "not yet"); return -ENOSYS; }
