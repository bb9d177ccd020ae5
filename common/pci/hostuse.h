/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the host uses a PCI function for: a block device below it that
 * holds a mounted file system or swap (itself or through md/dm holders),
 * a network interface below it that carries the default route or an
 * established TCP connection (itself or through its bridge or bond), or a
 * platform function of the chipset the kernel needs.  A function in use
 * must not go to vfio-pci: the host would lose its root, its network or
 * its chipset.  Everything is read once per run under the root: mountinfo,
 * swaps, routes and TCP tables from /proc, block devices and interfaces
 * from /sys/class; nothing is run.
 */
#ifndef VFIO_HOSTUSE_H
#define VFIO_HOSTUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/pcidev.h"

enum hostuse_reason { HOSTUSE_SWAP, HOSTUSE_MOUNT, HOSTUSE_ROUTE, HOSTUSE_CONN, HOSTUSE_PLATFORM };

struct hostuse_item {
	char dev[PCI_ADDR_LEN];		/* the function: 0000:07:00.0 */
	enum hostuse_reason reason;
	char what[64];			/* /dev/nvme0n1p1, eth0; "" for platform */
	char text[512];			/* why, for messages: "swap on /dev/nvme0n1" */
};

struct hostuse {
	struct hostuse_item *v;		/* by function, then as found */
	size_t n;
};

/*
 * Everything the host uses the functions of L for.  What cannot be read
 * (no /proc/swaps under a fixture root) counts as nothing in use.  L's
 * drivers must be read for host bridges (class 0600): see
 * pcidev_left_out().
 */
void hostuse_scan(struct hostuse *h, const struct pcidevs *l);
void hostuse_free(struct hostuse *h);
/* D's items, *n of them from the one returned; NULL when D is not in use. */
const struct hostuse_item *hostuse_find(const struct hostuse *h, const struct pcidev *d, size_t *n);
/* "swap", "mount", "route", "conn", "platform". */
const char *hostuse_reason_name(enum hostuse_reason r);
/* What kind of platform function D is ("SMBus"), or NULL when it is none. */
const char *hostuse_platform(const struct pcidev *d);

/* The /proc parsers, one line each: 0 when LINE is a record, -1 otherwise. */
struct hostuse_mount {
	unsigned int major, minor;	/* field 3 */
	char point[256];		/* field 5, octal escapes undone */
	char source[256];		/* after the " - " separator and the type */
};
int hostuse_parse_mountinfo(const char *line, struct hostuse_mount *m);
/* /proc/swaps: the Filename column, escapes undone; the header is no record. */
int hostuse_parse_swaps(const char *line, char *path, size_t size);

struct hostuse_route {
	char dev[32];
	uint8_t dest[16], mask[16];	/* IPv4 in the first four bytes */
	unsigned int plen;		/* prefix length */
	unsigned int flags;		/* RTF_* */
	bool gateway;
};
/* /proc/net/route and /proc/net/ipv6_route. */
int hostuse_parse_route(const char *line, struct hostuse_route *r);
int hostuse_parse_ipv6_route(const char *line, struct hostuse_route *r);

struct hostuse_tcp {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t local[16], remote[16];	/* IPv4 in the first four bytes */
	unsigned int lport, rport, state;
};
/* /proc/net/tcp (FAMILY AF_INET) and /proc/net/tcp6 (AF_INET6). */
int hostuse_parse_tcp(const char *line, int family, struct hostuse_tcp *t);

struct hostuse_addr6 {
	uint8_t addr[16];
	unsigned int plen;
	char dev[32];
};
/* /proc/net/if_inet6. */
int hostuse_parse_if_inet6(const char *line, struct hostuse_addr6 *a);

#endif
