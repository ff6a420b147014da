/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procconn.c - the proc connector's socket, through libmnl: listen to the
 * kernel's fork, exec and exit events (CN_IDX_PROC), read them without ever
 * blocking, and count forks per parent.  A fork storm outruns any reader: the
 * kernel then drops what the receive buffer cannot hold and says so with
 * ENOBUFS, which is counted, never waited out.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>

#include "base/macro.h"
#include "sample/procconn.h"

/* a few seconds of a 10,000 forks/s storm at the kernel's per-message cost
 * (about 1 KiB of skb each); SO_RCVBUFFORCE passes rmem_max with CAP_NET_ADMIN */
#define PC_RCVBUF (16 << 20)
/* how long the listen request may take to be answered (cn_proc_ack()) */
#define PC_ACK_MS 500

static int listen_request(struct procconn *pc, enum proc_cn_mcast_op op)
{
	_Alignas(struct nlmsghdr) char b[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof(enum proc_cn_mcast_op))];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(b);
	struct cn_msg *cn;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = mnl_socket_get_portid(pc->nl);
	cn = mnl_nlmsg_put_extra_header(nlh, sizeof(*cn) + sizeof(op));
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	return mnl_socket_sendto(pc->nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

struct ack_wait {
	struct procconn *pc;
	bool acked;
	uint32_t err;
};

static void on_event(const struct pc_event *ev, void *userdata)
{
	struct ack_wait *w = userdata;

	if (ev->kind == PC_ACK && !w->acked) {
		w->acked = true;
		w->err = ev->err;
	} else
		procconn_count(w->pc, ev);
}

void procconn_count_parents(struct procconn *pc)
{
	if (pc->parents)
		return;
	/* one allocation, both tables: touched only as forks are counted */
	pc->parents = xcalloc(PC_PARENTS, sizeof(*pc->parents) + sizeof(*pc->fresh));
	pc->fresh = (uint16_t *)(pc->parents + PC_PARENTS);
	pc->n_parents = 0;
	pc->n_fresh = 0;
}

static void free_parents(struct procconn *pc)
{
	free(pc->parents);
	pc->parents = NULL;
	pc->fresh = NULL;
	pc->n_parents = 0;
	pc->n_fresh = 0;
}

int procconn_open(struct procconn *pc, bool by_parent)
{
	struct ack_wait w = { .pc = pc };
	const char *test_size = getenv("CGTOP_TEST_PROCCONN_RCVBUF");
	int size = PC_RCVBUF, r;

	memset(pc, 0, offsetof(struct procconn, buf));
	pc->fd = -1;
	if (by_parent)
		procconn_count_parents(pc); /* the forks read before the answer count too */
	pc->nl = mnl_socket_open2(NETLINK_CONNECTOR, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!pc->nl) {
		/* EPROTONOSUPPORT: a kernel without CONFIG_CONNECTOR */
		pc->err = errno == EPROTONOSUPPORT ? ENOSYS : errno;
		free_parents(pc);
		return -pc->err;
	}
	/* without CAP_NET_ADMIN the multicast group refuses us here (EPERM) */
	if (mnl_socket_bind(pc->nl, CN_IDX_PROC, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto fail;
	}
	/* the tests shrink the buffer to make it overrun on purpose */
	if (test_size && atoi(test_size) > 0)
		size = atoi(test_size);
	if (setsockopt(mnl_socket_get_fd(pc->nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(mnl_socket_get_fd(pc->nl), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	r = listen_request(pc, PROC_CN_MCAST_LISTEN);
	if (r < 0)
		goto fail;
	/* cn_proc answers the request with PROC_EVENT_NONE carrying its error
	 * (EPERM outside the initial user namespace); no answer at all means
	 * a kernel without CONFIG_PROC_EVENTS, where nobody handles CN_IDX_PROC */
	for (int waited = 0; !w.acked && waited < PC_ACK_MS;) {
		ssize_t n = mnl_socket_recvfrom(pc->nl, pc->buf, sizeof(pc->buf));

		if (n > 0) {
			procconn_parse(pc->buf, (size_t)n, on_event, &w);
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR && errno != ENOBUFS) {
			r = -errno;
			goto fail;
		}
		poll(&(struct pollfd){ .fd = mnl_socket_get_fd(pc->nl), .events = POLLIN }, 1, 50);
		waited += 50;
	}
	if (!w.acked) {
		r = -ENOSYS;
		goto fail;
	}
	if (w.err) {
		r = -(int)w.err;
		goto fail;
	}
	pc->fd = mnl_socket_get_fd(pc->nl);
	return 0;
fail:
	mnl_socket_close(pc->nl);
	pc->nl = NULL;
	free_parents(pc);
	pc->err = -r;
	return r;
}

void procconn_close(struct procconn *pc)
{
	if (pc->nl) {
		listen_request(pc, PROC_CN_MCAST_IGNORE);
		mnl_socket_close(pc->nl);
	}
	pc->nl = NULL;
	pc->fd = -1;
	free_parents(pc);
}

const char *procconn_off_reason(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "fork counts are off: the proc connector needs CAP_NET_ADMIN";
	case ENOSYS:
		return "fork counts are off: the kernel has no proc connector (CONFIG_PROC_EVENTS)";
	default:
		return "fork counts are off: the proc connector cannot be opened";
	}
}

static struct pc_parent *slot(struct procconn *pc, int32_t tgid)
{
	uint32_t h = (uint32_t)tgid * 2654435761u;

	for (unsigned i = 0; i < PC_PARENTS; i++) {
		struct pc_parent *p = &pc->parents[(h + i) % PC_PARENTS];

		if (p->tgid == tgid)
			return p;
		if (!p->tgid) {
			/* keep a quarter free: probes stay short under a storm */
			if (pc->n_parents >= PC_PARENTS * 3 / 4)
				return NULL;
			p->tgid = tgid;
			pc->n_parents++;
			pc->fresh[pc->n_fresh++] = (uint16_t)(p - pc->parents);
			return p;
		}
	}
	return NULL;
}

void procconn_count(struct procconn *pc, const struct pc_event *ev)
{
	struct pc_parent *p;

	switch (ev->kind) {
	case PC_FORK:
		/* a new thread is no fork of a process */
		if (ev->pid != ev->tgid)
			return;
		pc->forks++;
		if (!pc->parents)
			break; /* not counted by parent */
		p = ev->parent_tgid > 0 ? slot(pc, ev->parent_tgid) : NULL;
		if (p) {
			p->forks++;
			p->last_child = ev->tgid;
		} else
			pc->overflow++;
		break;
	case PC_EXEC:
		pc->execs++;
		break;
	case PC_EXIT:
		if (ev->pid == ev->tgid)
			pc->exits++;
		break;
	default:
		break;
	}
}

void procconn_reset(struct procconn *pc)
{
	if (pc->parents)
		memset(pc->parents, 0, PC_PARENTS * sizeof(*pc->parents));
	pc->n_parents = 0;
	pc->n_fresh = 0;
}

static void on_read(const struct pc_event *ev, void *userdata)
{
	procconn_count(userdata, ev);
}

int procconn_drain(struct procconn *pc, unsigned max)
{
	return procconn_drain_cb(pc, max, on_read, pc);
}

int procconn_drain_cb(struct procconn *pc, unsigned max,
		      void (*cb)(const struct pc_event *ev, void *userdata), void *userdata)
{
	unsigned i;

	if (pc->fd < 0)
		return 0;
	for (i = 0; i < max; i++) {
		ssize_t n = mnl_socket_recvfrom(pc->nl, pc->buf, sizeof(pc->buf));

		if (n < 0 && errno == ENOBUFS) {
			/* the kernel dropped events it could not queue; how many is
			 * not said: count the overruns */
			pc->dropped++;
			continue;
		}
		if (n <= 0)
			break;
		procconn_parse(pc->buf, (size_t)n, cb, userdata);
	}
	return (int)i;
}
