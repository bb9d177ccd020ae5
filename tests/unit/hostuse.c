/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The /proc parsers behind "in use by the host", on lines as the kernel
 * prints them (fs/proc_namespace.c, mm/swapfile.c, net/ipv4/fib_trie.c,
 * net/ipv6/route.c, net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c,
 * net/ipv6/addrconf.c), and lines they must refuse.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "pci/hostuse.h"
#include "tap.h"

static const char *ip(int family, const uint8_t *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(family, a, buf, sizeof(buf));
}

static void mountinfo(void)
{
	struct hostuse_mount m;

	ok(hostuse_parse_mountinfo("22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw",
				   &m) == 0, "mountinfo: the root file system");
	ok(m.major == 259 && m.minor == 2, "mountinfo: field 3 is major:minor");
	is_str(m.point, "/", "mountinfo: the mount point");
	is_str(m.source, "/dev/nvme0n1p2", "mountinfo: the source after the separator");
	ok(hostuse_parse_mountinfo("80 60 8:17 / /mnt/My\\040Games rw,relatime shared:40 master:1 - "
				   "ntfs3 /dev/sdb1 rw,uid=1000", &m) == 0, "mountinfo: optional fields");
	is_str(m.point, "/mnt/My Games", "mountinfo: \\040 is a space");
	is_str(m.source, "/dev/sdb1", "mountinfo: the source after two optional fields");
	ok(hostuse_parse_mountinfo("45 22 0:41 /@home /home rw,relatime shared:3 - btrfs /dev/nvme0n1p2 "
				   "rw,ssd,subvolid=257", &m) == 0 && m.major == 0 &&
	   !strcmp(m.source, "/dev/nvme0n1p2"), "mountinfo: btrfs has an anonymous number, a source");
	ok(hostuse_parse_mountinfo("22 1 259:2 / / rw,relatime shared:1 ext4 /dev/x rw", &m) < 0,
	   "mountinfo: no separator, no record");
	ok(hostuse_parse_mountinfo("22 1 259 / / rw - ext4 /dev/x rw", &m) < 0,
	   "mountinfo: no minor, no record");
	ok(hostuse_parse_mountinfo("", &m) < 0, "mountinfo: an empty line");
}

static void swaps(void)
{
	char path[256];

	ok(hostuse_parse_swaps("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority", path, sizeof(path)) < 0,
	   "swaps: the header is no record");
	ok(hostuse_parse_swaps("/dev/nvme0n1p3                          partition\t16777212\t0\t\t-2",
			       path, sizeof(path)) == 0, "swaps: a partition");
	is_str(path, "/dev/nvme0n1p3", "swaps: its file name");
	ok(hostuse_parse_swaps("/swap\\040file                            file\t\t8388604\t0\t\t-3",
			       path, sizeof(path)) == 0, "swaps: a file");
	is_str(path, "/swap file", "swaps: escapes undone");
	ok(hostuse_parse_swaps("/dev/sda2", path, sizeof(path)) < 0, "swaps: a name alone");
}

static void routes(void)
{
	struct hostuse_route r;

	ok(hostuse_parse_route("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
			       &r) < 0, "route: the header is no record");
	ok(hostuse_parse_route("eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0     ", &r) == 0,
	   "route: the default route");
	ok(!strcmp(r.dev, "eth0") && r.plen == 0 && r.gateway && r.flags == 3,
	   "route: default: device, no prefix, a gateway, UP|GATEWAY");
	ok(hostuse_parse_route("eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0", &r) == 0,
	   "route: a subnet route");
	ok(r.plen == 24 && !r.gateway, "route: /24 on the link");
	is_str(ip(AF_INET, r.dest), "192.0.2.0", "route: destination bytes in network order");
	ok(hostuse_parse_route("eth0\t0002zzC0\t00000000\t0001\t0\t0\t0\t00FFFFFF", &r) < 0,
	   "route: not hex");
	ok(hostuse_parse_ipv6_route("00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
				    "fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0",
				    &r) == 0, "ipv6_route: the default route");
	ok(!strcmp(r.dev, "eth0") && r.plen == 0 && r.gateway && (r.flags & 1), "ipv6_route: default on eth0");
	ok(hostuse_parse_ipv6_route("fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
				    "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
				    &r) == 0 && r.plen == 64 && !r.gateway, "ipv6_route: a /64 on the link");
	ok(hostuse_parse_ipv6_route("00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
				    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
				    &r) == 0 && (r.flags & 0x200), "ipv6_route: lo's reject route parses, REJECT set");
	ok(hostuse_parse_ipv6_route("00000000000000000000000000000000 81 00000000000000000000000000000000 00 "
				    "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
				    &r) < 0, "ipv6_route: a prefix past 128");
}

static void tcp(void)
{
	struct hostuse_tcp t;

	ok(hostuse_parse_tcp("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   "
			     "uid  timeout inode", AF_INET, &t) < 0, "tcp: the header is no record");
	ok(hostuse_parse_tcp("   2: 0F02000A:0016 0202000A:C35A 01 00000000:00000000 02:000A7B3C 00000000     "
			     "0        0 48212 2 0000000000000000 20 4 30 10 -1", AF_INET, &t) == 0,
	   "tcp: an established connection");
	ok(t.state == 1 && t.lport == 22 && t.rport == 50010, "tcp: state and ports");
	is_str(ip(AF_INET, t.local), "10.0.2.15", "tcp: the local address");
	is_str(ip(AF_INET, t.remote), "10.0.2.2", "tcp: the remote address");
	ok(hostuse_parse_tcp("   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     "
			     "0        0 208 1 000000003426bd28 100 0 0 10 0", AF_INET, &t) == 0 &&
	   t.state == 0x0a, "tcp: a listening socket");
	ok(hostuse_parse_tcp("   0: 0981022AA201C0B600000000E3070000:C552 5014002A2B080140000000000E200000:01BB 01 "
			     "00000000:00000000 02:00071B21 00000000  1000        0 52744 2 0000000000000000 21 4 30 10 -1",
			     AF_INET6, &t) == 0, "tcp6: an established connection");
	is_str(ip(AF_INET6, t.local), "2a02:8109:b6c0:1a2::7e3", "tcp6: the local address, word by word");
	is_str(ip(AF_INET6, t.remote), "2a00:1450:4001:82b::200e", "tcp6: the remote address");
	ok(t.lport == 50514 && t.rport == 443, "tcp6: ports");
	ok(hostuse_parse_tcp("   0: 0F02000A:0016 0202000A:C35A 01 00000000:00000000", AF_INET6, &t) < 0,
	   "tcp6: an IPv4 line is no record");
	ok(hostuse_parse_tcp("   0: 0F02000A0016 0202000A:C35A 01", AF_INET, &t) < 0, "tcp: no colon");
}

static void if_inet6(void)
{
	struct hostuse_addr6 a;

	ok(hostuse_parse_if_inet6("fd000000000000000000000000000002 04 40 00 82     eth0", &a) == 0,
	   "if_inet6: an address");
	ok(!strcmp(a.dev, "eth0") && a.plen == 64, "if_inet6: device and prefix length");
	is_str(ip(AF_INET6, a.addr), "fd00::2", "if_inet6: bytes in order");
	ok(hostuse_parse_if_inet6("fd000000000000000000000000000002 04 40 00 82", &a) < 0,
	   "if_inet6: no device");
	ok(hostuse_parse_if_inet6("fd00000000000000000000000000002 04 40 00 82     eth0", &a) < 0,
	   "if_inet6: 31 digits");
}

int main(void)
{
	mountinfo();
	swaps();
	routes();
	tcp();
	if_inet6();
	return tap_done();
}
