/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/optionrom.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* No card has a larger ROM; a bound keeps a broken attribute from filling memory. */
#define ROM_MAX (16u << 20)

static unsigned int le16(const unsigned char *p)
{
	return (unsigned int)p[0] | (unsigned int)p[1] << 8;
}

/* Walk the images of BUF; stops at the first invalid one. */
static void option_rom_parse(const unsigned char *buf, size_t len, struct option_rom *r)
{
	size_t off = 0;

	memset(r, 0, sizeof(*r));
	while (off + 0x1a <= len && buf[off] == 0x55 && buf[off + 1] == 0xaa) {
		size_t pcir = off + le16(buf + off + 0x18);
		size_t size;
		unsigned int type;

		if (pcir + 0x18 > len || memcmp(buf + pcir, "PCIR", 4))
			break;
		type = buf[pcir + 0x14];
		size = (size_t)le16(buf + pcir + 0x10) * 512;
		r->images++;
		if (type == 0)
			r->x86 = true;
		else if (type == 3)
			r->efi = true;
		if ((buf[pcir + 0x15] & 0x80) || size == 0)
			break;
		off += size;
	}
}

int option_rom_read(int fd, struct option_rom *r)
{
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (len == cap) {
			if (cap >= ROM_MAX)
				break;
			cap = cap ? 2 * cap : 65536;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	option_rom_parse(buf, len, r);
	free(buf);
	return 0;
}
