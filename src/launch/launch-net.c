/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * launch-net.c - the network part of `cgtop --launch --ns net`: rtnetlink
 * through libmnl (the only file that includes <libmnl/libmnl.h>) to bring
 * "lo" up in a new network namespace, and for --veth to create a veth pair
 * whose peer is created straight in the child's namespace (IFLA_NET_NS_PID),
 * to address both ends, set them up, add the child's default route and delete
 * the pair again.  Every request asks for an ACK (NLM_F_ACK) and the kernel's
 * answer is returned as 0 or -errno; nothing is printed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include <libmnl/libmnl.h>

#include "launch/launch-priv.h"

/* Requests and their ACKs are small; an error ACK carries the request back. */
#define NL_BUF 8192

struct nl {
	struct mnl_socket *sk;
	unsigned int portid;
	unsigned int seq;
};

static int nl_open(struct nl *nl)
{
	int r;

	/* mnl_socket_open2() allocates a small struct: fine in a child of a
	 * single-threaded cgtop, as libcap's allocations are. */
	nl->sk = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sk)
		return -errno;
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl->sk);
		return r;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

static void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

/* Start a request of TYPE in BUF (NL_BUF bytes) that asks for an ACK. */
static struct nlmsghdr *nl_request(struct nl *nl, char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/* Send the request and wait for its ACK: 0, or the kernel's error as -errno. */
static int nl_talk(struct nl *nl, const struct nlmsghdr *nlh)
{
	char buf[NL_BUF];
	unsigned int seq = nlh->nlmsg_seq;
	ssize_t n;
	int r;

	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		errno = 0;
		/* NLMSG_ERROR: error 0 is the ACK (MNL_CB_STOP); otherwise
		 * mnl_cb_run() returns MNL_CB_ERROR with errno = -error. */
		r = mnl_cb_run(buf, (size_t)n, seq, nl->portid, NULL, NULL);
		if (r == MNL_CB_ERROR)
			return errno ? -errno : -EPROTO;
		if (r == MNL_CB_STOP)
			return 0;
	}
}

static int check_ifname(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strlen(name);
	if (len == 0 || len >= IFNAMSIZ || strchr(name, '/'))
		return -EINVAL;
	return 0;
}

/* RTM_NEWLINK on an existing link (looked up by name): set IFF_UP. */
static int link_up(struct nl *nl, const char *ifname)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = nl_request(nl, buf, RTM_NEWLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nl_talk(nl, nlh);
}

static int link_del(struct nl *nl, const char *ifname)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = nl_request(nl, buf, RTM_DELLINK, 0);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nl_talk(nl, nlh);
}

/* RTM_NEWLINK with IFLA_LINKINFO "veth": host_if here, peer_if created in the
 * network namespace of pid child (the peer's own ifinfomsg and attributes go
 * inside VETH_INFO_PEER, as ip-link(8) sends them). */
static int veth_create(struct nl *nl, const char *host_if, const char *peer_if, pid_t child)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = nl_request(nl, buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	struct nlattr *linkinfo, *data, *peer;
	struct ifinfomsg *pifm;

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, host_if);
	linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer_if);
	mnl_attr_put_u32(nlh, IFLA_NET_NS_PID, (uint32_t)child);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, linkinfo);
	return nl_talk(nl, nlh);
}

static int ifindex_of(const char *ifname, unsigned int *ret)
{
	unsigned int idx = if_nametoindex(ifname);

	if (!idx)
		return errno ? -errno : -ENODEV;
	*ret = idx;
	return 0;
}

/* RTM_NEWADDR: addr/prefix on link idx, with its broadcast address. */
static int addr_add(struct nl *nl, unsigned int idx, const uint8_t addr[4], unsigned int prefix)
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = nl_request(nl, buf, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	uint32_t a, mask;

	memcpy(&a, addr, 4);
	mask = htonl(prefix ? ~(uint32_t)0 << (32 - prefix) : 0);
	a |= ~mask;
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = idx;
	mnl_attr_put(nlh, IFA_LOCAL, 4, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, 4, addr);
	mnl_attr_put(nlh, IFA_BROADCAST, 4, &a);
	return nl_talk(nl, nlh);
}

/* RTM_NEWROUTE: default via gw on link idx, in the main table. */
static int default_route_add(struct nl *nl, unsigned int idx, const uint8_t gw[4])
{
	char buf[NL_BUF];
	struct nlmsghdr *nlh = nl_request(nl, buf, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 0;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_GATEWAY, 4, gw);
	mnl_attr_put_u32(nlh, RTA_OIF, idx);
	return nl_talk(nl, nlh);
}

int launch_net_lo_up(void)
{
	struct nl nl;
	int r;

	r = nl_open(&nl);
	if (r < 0)
		return r;
	r = link_up(&nl, "lo");
	nl_close(&nl);
	return r;
}

/* Up to 2 decimal digits, nothing else. */
static int parse_prefix(const char *s, unsigned int *ret)
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i >= 2 || s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (i == 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

int launch_net_parse_veth(const char *s, struct veth_addr *ret)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash;
	struct in_addr in;
	uint32_t host, child, mask;
	unsigned int prefix;
	size_t len;

	if (!s || !ret)
		return -EINVAL;
	slash = strchr(s, '/');
	if (!slash)
		return -EINVAL;
	len = (size_t)(slash - s);
	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* inet_pton() takes only the dotted quad: no "10.1", hex or leading 0 */
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -EINVAL;
	if (parse_prefix(slash + 1, &prefix) < 0 || prefix < 1 || prefix > 30)
		return -EINVAL;

	host = ntohl(in.s_addr);
	mask = ~(uint32_t)0 << (32 - prefix);
	/* 0/8 "this network", 127/8 loopback, 224/4 multicast and 240/4 */
	if ((host >> 24) == 0 || (host >> 24) == 127 || (host >> 28) >= 14)
		return -EINVAL;
	/* neither end may be the network or the broadcast address */
	child = host + 1;
	if ((host & ~mask) == 0 || (child & mask) != (host & mask) || (child & ~mask) == ~mask)
		return -EINVAL;

	in.s_addr = htonl(host);
	memcpy(ret->host, &in.s_addr, 4);
	in.s_addr = htonl(child);
	memcpy(ret->child, &in.s_addr, 4);
	ret->prefix = prefix;
	return 0;
}

int launch_net_veth_host(const char *host_if, const char *peer_if, pid_t child, const struct veth_addr *a)
{
	struct nl nl;
	unsigned int idx = 0;
	int r;

	if (check_ifname(host_if) < 0 || check_ifname(peer_if) < 0 || child <= 0 || !a || a->prefix < 1 ||
	    a->prefix > 30)
		return -EINVAL;
	r = nl_open(&nl);
	if (r < 0)
		return r;
	r = veth_create(&nl, host_if, peer_if, child);
	if (r < 0)
		goto out;
	r = ifindex_of(host_if, &idx);
	if (r >= 0)
		r = addr_add(&nl, idx, a->host, a->prefix);
	if (r >= 0)
		r = link_up(&nl, host_if);
	if (r < 0)
		link_del(&nl, host_if); /* leave no half-made pair behind */
out:
	nl_close(&nl);
	return r;
}

int launch_net_veth_child(const char *peer_if, const struct veth_addr *a)
{
	struct nl nl;
	unsigned int idx = 0;
	int r;

	if (check_ifname(peer_if) < 0 || !a || a->prefix < 1 || a->prefix > 30)
		return -EINVAL;
	r = nl_open(&nl);
	if (r < 0)
		return r;
	r = link_up(&nl, "lo");
	if (r >= 0)
		r = ifindex_of(peer_if, &idx);
	if (r >= 0)
		r = addr_add(&nl, idx, a->child, a->prefix);
	/* up before the route: the gateway must be reachable on the link */
	if (r >= 0)
		r = link_up(&nl, peer_if);
	if (r >= 0)
		r = default_route_add(&nl, idx, a->host);
	nl_close(&nl);
	return r;
}

int launch_net_veth_del(const char *host_if)
{
	struct nl nl;
	int r;

	if (check_ifname(host_if) < 0)
		return -EINVAL;
	r = nl_open(&nl);
	if (r < 0)
		return r;
	r = link_del(&nl, host_if);
	nl_close(&nl);
	return r;
}
