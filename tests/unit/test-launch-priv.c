/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test-launch-priv - unit tests of the two parsers of launch-priv.h:
 * launch_net_parse_veth() (--veth HOST_ADDR/PREFIX) and launch_caps_parse()
 * (--caps LIST), with good and bad inputs.  Needs no privileges.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>

#include "launch/launch-priv.h"
#include "../tap.h"

static void veth_good(const char *s, const char *host, const char *child, unsigned prefix)
{
	struct veth_addr a;
	char h[16], c[16];
	int r;

	memset(&a, 0xaa, sizeof(a));
	r = launch_net_parse_veth(s, &a);
	is_int(r, 0, "veth '%s' parses", s);
	if (r < 0)
		return;
	snprintf(h, sizeof(h), "%u.%u.%u.%u", a.host[0], a.host[1], a.host[2], a.host[3]);
	snprintf(c, sizeof(c), "%u.%u.%u.%u", a.child[0], a.child[1], a.child[2], a.child[3]);
	is_str(h, host, "veth '%s': host end", s);
	is_str(c, child, "veth '%s': child end", s);
	is_int(a.prefix, prefix, "veth '%s': prefix", s);
}

static void veth_bad(const char *s)
{
	struct veth_addr a, before;

	memset(&a, 0x5a, sizeof(a));
	before = a;
	is_int(launch_net_parse_veth(s, &a), -EINVAL, "veth '%s' is refused", s ? s : "(null)");
	ok(memcmp(&a, &before, sizeof(a)) == 0, "veth '%s': result untouched", s ? s : "(null)");
}

static void caps_good(const char *list, uint64_t want)
{
	struct caps_spec c = { .drop_all = true };
	const char *bad = "x";
	int r;

	r = launch_caps_parse(list, &c, &bad);
	is_int(r, 0, "caps '%s' parse", list);
	is_u64(c.keep, want, "caps '%s': mask", list);
	ok(c.have_keep, "caps '%s': have_keep", list);
	ok(c.drop_all, "caps '%s': drop_all left as it was", list);
	ok(bad == NULL, "caps '%s': no bad item", list);
}

static void caps_bad(const char *list, const char *want_bad)
{
	struct caps_spec c = { 0 };
	const char *bad = NULL;

	is_int(launch_caps_parse(list, &c, &bad), -EINVAL, "caps '%s' is refused",
	       list ? list : "(null)");
	is_str(bad, want_bad, "caps '%s': names '%s'", list ? list : "(null)", want_bad);
	ok(!c.have_keep && c.keep == 0, "caps '%s': result untouched", list ? list : "(null)");
}

#define BIT(n) (UINT64_C(1) << (n))

int main(void)
{
	veth_good("10.200.0.1/24", "10.200.0.1", "10.200.0.2", 24);
	veth_good("10.0.0.1/30", "10.0.0.1", "10.0.0.2", 30);
	veth_good("192.168.1.253/24", "192.168.1.253", "192.168.1.254", 24);
	veth_good("10.0.0.255/16", "10.0.0.255", "10.0.1.0", 16);
	veth_good("172.16.0.9/1", "172.16.0.9", "172.16.0.10", 1);
	veth_good("100.64.0.1/8", "100.64.0.1", "100.64.0.2", 8);

	veth_bad(NULL);
	veth_bad("");
	veth_bad("/24");
	veth_bad("10.200.0.1");
	veth_bad("10.200.0.1/");
	veth_bad("10.200.0.1/0");
	veth_bad("10.200.0.1/31");
	veth_bad("10.200.0.1/32");
	veth_bad("10.200.0.1/33");
	veth_bad("10.200.0.1/024");
	veth_bad("10.200.0.1/+24");
	veth_bad("10.200.0.1/-1");
	veth_bad("10.200.0.1/24x");
	veth_bad("10.200.0.1/24/");
	veth_bad("10.200.0.1/ 24");
	veth_bad(" 10.200.0.1/24");
	veth_bad("10.200.0/24");
	veth_bad("10.200.0.256/24");
	veth_bad("010.200.0.1/24");
	veth_bad("0x0a.200.0.1/24");
	veth_bad("10.200.0.1.5/24");
	veth_bad("::1/64");
	veth_bad("fe80::1/64");
	veth_bad("host/24");
	veth_bad("10.0.0.0/24");     /* the network address */
	veth_bad("10.0.0.255/24");   /* the broadcast address */
	veth_bad("10.0.0.254/24");   /* the child would be the broadcast address */
	veth_bad("10.0.0.2/30");     /* likewise */
	veth_bad("10.0.255.255/16");
	veth_bad("127.0.0.1/8");     /* loopback */
	veth_bad("0.0.0.1/8");
	veth_bad("224.0.0.1/24");    /* multicast */
	veth_bad("255.255.255.1/24");

	caps_good("cap_net_raw", BIT(CAP_NET_RAW));
	caps_good("net_raw", BIT(CAP_NET_RAW));
	caps_good("NET_RAW,Kill", BIT(CAP_NET_RAW) | BIT(CAP_KILL));
	caps_good("CAP_NET_RAW,cap_kill,net_raw", BIT(CAP_NET_RAW) | BIT(CAP_KILL));
	caps_good("chown,sys_admin,setpcap", BIT(CAP_CHOWN) | BIT(CAP_SYS_ADMIN) | BIT(CAP_SETPCAP));
	caps_good("cap_checkpoint_restore", BIT(40));

	caps_bad(NULL, "");
	caps_bad("", "");
	caps_bad(",", "");
	caps_bad("net_raw,", "");
	caps_bad(",kill", "");
	caps_bad("net_raw,,kill", "");
	caps_bad("cap_bogus", "cap_bogus");
	caps_bad("kill,bogus", "bogus");
	caps_bad("net_raw1", "net_raw1");
	caps_bad("net_rawx", "net_rawx");
	caps_bad("net_ra", "net_ra");
	caps_bad("13", "13");
	caps_bad("cap_", "cap_");
	caps_bad("cap_net_raw kill", "cap_net_raw kill");
	caps_bad(" kill", " kill");
	caps_bad("all", "all");
	caps_bad("cap_net-raw", "cap_net-raw");
	caps_bad("cap_this_name_is_far_too_long_for_any_capability_at_all",
		 "cap_this_name_is_far_too_long_for_any_capabilit"); /* cut to 47 */

	return tap_done();
}
