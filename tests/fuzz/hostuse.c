/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The /proc files behind "in use by the host": the input is one file,
 * each line given to every parser (common/hostuse.c), as the kernel's
 * lines of one format may reach another's parser under a broken root.
 *
 * Properties: a line refused leaves nothing half-parsed that is used; a
 * line accepted gives names without white space that fit their fields,
 * prefix lengths within the address, a mask of exactly that many bits,
 * ports and states within what the kernel prints, and a swap path that
 * is absolute; the same line parses the same again.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"
#include "pci/hostuse.h"

static bool name_ok(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	return n > 0 && n < size && !strpbrk(s, " \t\n");
}

static void route(const char *line, bool v6)
{
	struct hostuse_route r, again;
	unsigned int bits = 0;
	size_t i;

	if ((v6 ? hostuse_parse_ipv6_route(line, &r) : hostuse_parse_route(line, &r)) < 0)
		return;
	CHECK(name_ok(r.dev, sizeof(r.dev)));
	for (i = 0; i < 16; i++)
		bits += (unsigned int)__builtin_popcount(r.mask[i]);
	CHECK(r.plen == bits && r.plen <= (v6 ? 128u : 32u));
	if (!v6)
		for (i = 4; i < 16; i++)
			CHECK(!r.mask[i] && !r.dest[i]);
	CHECK((v6 ? hostuse_parse_ipv6_route(line, &again) : hostuse_parse_route(line, &again)) == 0);
	CHECK(!memcmp(&r, &again, sizeof(r)));
}

static void tcp(const char *line, int family)
{
	struct hostuse_tcp t, again;

	if (hostuse_parse_tcp(line, family, &t) < 0)
		return;
	CHECK(t.family == family && t.lport <= 0xffff && t.rport <= 0xffff && t.state <= 0xff);
	CHECK(hostuse_parse_tcp(line, family, &again) == 0 && !memcmp(&t, &again, sizeof(t)));
}

static void one(const char *line)
{
	struct hostuse_mount m;
	struct hostuse_addr6 a;
	char path[256];

	if (hostuse_parse_mountinfo(line, &m) == 0) {
		CHECK(strnlen(m.point, sizeof(m.point)) < sizeof(m.point));
		CHECK(strnlen(m.source, sizeof(m.source)) < sizeof(m.source));
	}
	if (hostuse_parse_swaps(line, path, sizeof(path)) == 0)
		CHECK(path[0] == '/' && strnlen(path, sizeof(path)) < sizeof(path));
	route(line, false);
	route(line, true);
	tcp(line, AF_INET);
	tcp(line, AF_INET6);
	if (hostuse_parse_if_inet6(line, &a) == 0)
		CHECK(name_ok(a.dev, sizeof(a.dev)) && a.plen <= 128);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_nonnull(malloc(size + 1)), *line, *next;

	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		one(line);
	}
	free(text);
	return 0;
}
