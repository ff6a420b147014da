/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse-procconn.c - one datagram of the proc connector as events: netlink
 * messages (nlmsghdr), each carrying a struct cn_msg whose data is a struct
 * proc_event (<linux/cn_proc.h>).  Pure: no I/O, so it is tested on bytes
 * captured from the kernel (tests/data/procconn).
 */
#include <errno.h>
#include <string.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include "sample/procconn.h"

/* the fields we read, at their offsets in struct proc_event */
static int one(const struct cn_msg *cn, size_t avail, struct pc_event *ev)
{
	struct proc_event pe;
	size_t head = offsetof(struct proc_event, event_data);

	if (avail < sizeof(*cn) || cn->len > avail - sizeof(*cn))
		return -EINVAL;
	if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
		return 0; /* another connector user's message: not ours */
	if (cn->len < head)
		return -EINVAL;
	memset(&pe, 0, sizeof(pe));
	/* older kernels send shorter unions (exit's parent fields came in 4.18) */
	memcpy(&pe, cn->data, cn->len < sizeof(pe) ? cn->len : sizeof(pe));
	memset(ev, 0, sizeof(*ev));
	ev->timestamp_ns = pe.timestamp_ns;
	switch (pe.what) {
	case PROC_EVENT_NONE:
		ev->kind = PC_ACK;
		ev->err = pe.event_data.ack.err;
		break;
	case PROC_EVENT_FORK:
		if (cn->len < head + sizeof(pe.event_data.fork))
			return -EINVAL;
		ev->kind = PC_FORK;
		ev->parent_pid = pe.event_data.fork.parent_pid;
		ev->parent_tgid = pe.event_data.fork.parent_tgid;
		ev->pid = pe.event_data.fork.child_pid;
		ev->tgid = pe.event_data.fork.child_tgid;
		break;
	case PROC_EVENT_EXEC:
		if (cn->len < head + sizeof(pe.event_data.exec))
			return -EINVAL;
		ev->kind = PC_EXEC;
		ev->pid = pe.event_data.exec.process_pid;
		ev->tgid = pe.event_data.exec.process_tgid;
		break;
	case PROC_EVENT_EXIT:
		if (cn->len < head + 2 * sizeof(uint32_t) + 2 * sizeof(uint32_t))
			return -EINVAL;
		ev->kind = PC_EXIT;
		ev->pid = pe.event_data.exit.process_pid;
		ev->tgid = pe.event_data.exit.process_tgid;
		ev->parent_pid = pe.event_data.exit.parent_pid;
		ev->parent_tgid = pe.event_data.exit.parent_tgid;
		break;
	default:
		ev->kind = PC_OTHER;
		break;
	}
	return 1;
}

int procconn_parse(const void *buf, size_t len, void (*cb)(const struct pc_event *ev, void *userdata),
		   void *userdata)
{
	const unsigned char *p = buf;
	int n = 0;

	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr nh;
		struct cn_msg cn;
		struct pc_event ev;
		size_t msg_len, step;
		int r;

		memcpy(&nh, p, sizeof(nh));
		if (nh.nlmsg_len < NLMSG_HDRLEN || nh.nlmsg_len > len)
			return -EINVAL;
		msg_len = nh.nlmsg_len - NLMSG_HDRLEN;
		if (nh.nlmsg_type == NLMSG_DONE || nh.nlmsg_type >= NLMSG_MIN_TYPE) {
			/* the connector sends its messages as NLMSG_DONE; copy the
			 * header to keep the data aligned for the cast */
			if (msg_len < sizeof(cn))
				return -EINVAL;
			memcpy(&cn, p + NLMSG_HDRLEN, sizeof(cn));
			if (cn.len > msg_len - sizeof(cn))
				return -EINVAL;
			{
				_Alignas(
					8) unsigned char m[sizeof(struct cn_msg) + sizeof(struct proc_event)];
				size_t take = sizeof(cn) + (cn.len < sizeof(struct proc_event)
								    ? cn.len
								    : sizeof(struct proc_event));
				struct cn_msg *cm = (struct cn_msg *)m;

				memcpy(m, p + NLMSG_HDRLEN, take);
				cm->len = (uint16_t)(take - sizeof(cn));
				r = one(cm, take, &ev);
			}
			if (r < 0)
				return r;
			if (r > 0) {
				cb(&ev, userdata);
				n++;
			}
		} else if (nh.nlmsg_type == NLMSG_ERROR) {
			return -EINVAL;
		}
		step = NLMSG_ALIGN(nh.nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return len && len < NLMSG_HDRLEN ? -EINVAL : n;
}
