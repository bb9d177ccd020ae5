/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "pci/acs.h"
#include "base/root.h"
#include "base/banned.h"

static void unreadable(struct acs_info *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void unreadable(struct acs_info *a, const char *fmt, ...)
{
	va_list ap;

	a->state = ACS_UNREADABLE;
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
}

/*
 * What libpci reads must be there: a short read makes it return 0xff
 * bytes, which look like "no capability" where the kernel saw one.  So the
 * lengths are checked on the file first, and libpci only walks what is
 * known to be readable.
 */
static void read_caps(const struct pcidevs *l, const struct pcidev *d, int fd,
		      struct acs_info *a)
{
	struct pci_dev *p;
	struct pci_cap *cap;
	uint8_t ext[4];
	ssize_t n;

	p = pci_get_dev(l->pacc, (int)d->addr.domain, (int)d->addr.bus, (int)d->addr.slot,
			(int)d->addr.func);
	if (!p) {
		unreadable(a, "libpci could not open it");
		return;
	}
	cap = pci_find_cap(p, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (cap)
		a->pcie_type = (pci_read_word(p, (int)cap->addr + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_TYPE) >> 4;
	if (a->pcie_type != PCIE_NONE) {
		n = pread(fd, ext, sizeof(ext), 256);
		if (n != (ssize_t)sizeof(ext)) {
			unreadable(a, "only 256 bytes of config space: no extended capabilities");
			goto out;
		}
		cap = pci_find_cap(p, PCI_EXT_CAP_ID_ACS, PCI_CAP_EXTENDED);
		if (cap) {
			a->acs_pos = (int)cap->addr;
			a->acs_cap = pci_read_word(p, a->acs_pos + PCI_ACS_CAP);
			a->acs_ctrl = pci_read_word(p, a->acs_pos + PCI_ACS_CTRL);
			a->acs_ctrl32 = pci_read_long(p, a->acs_pos + PCI_ACS_CTRL + 2);
		}
	}
out:
	pci_free_dev(p);
}

void acs_read(const struct pcidevs *l, const struct pcidev *d, struct acs_info *a)
{
	char path[64], buf[32];
	uint8_t cfg[256];
	ssize_t n;
	int dirfd, fd;

	memset(a, 0, sizeof(*a));
	a->pcie_type = PCIE_NONE;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", d->name);
	dirfd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (dirfd < 0) {
		unreadable(a, "%s", strerror(errno));
		return;
	}
	a->virtfn = faccessat(dirfd, "physfn", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	/* Reading config space wakes a function the kernel powered off. */
	if (attr_read(dirfd, "power_state", buf, sizeof(buf)) >= 0 && !strcmp(buf, "D3cold")) {
		a->state = ACS_D3COLD;
		snprintf(a->why, sizeof(a->why), "in D3cold: not read, a read would wake it");
		close(dirfd);
		return;
	}
	fd = root_openat_regular(dirfd, "config");
	close(dirfd);
	if (fd < 0) {
		unreadable(a, "config: %s", strerror(errno));
		return;
	}
	n = pread(fd, cfg, sizeof(cfg), 0);
	if (n < 0) {
		unreadable(a, "config: %s", strerror(errno));
	} else if (n < 64) {
		unreadable(a, "config: only %zd bytes", n);
	} else {
		a->multifunction = cfg[PCI_HEADER_TYPE] & 0x80;
		a->bridge = (cfg[PCI_HEADER_TYPE] & 0x7f) == PCI_HEADER_TYPE_BRIDGE;
		/* The kernel gives the first 64 bytes to readers without CAP_SYS_ADMIN. */
		if (n == 64)
			unreadable(a, "config space past 64 bytes is readable by root only");
		else if (n < (ssize_t)sizeof(cfg))
			unreadable(a, "config: only %zd bytes", n);
		else
			read_caps(l, d, fd, a);
	}
	close(fd);
}

const char *acs_flags_name(unsigned int flags, char *buf, size_t size)
{
	static const char *const names[] = { "SV", "TB", "RR", "CR", "UF", "EC", "DT" };
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & 1u << i))
			continue;
		snprintf(buf + len, size - len, "%s%s", len ? " " : "", names[i]);
		len = strlen(buf);
	}
	return buf;
}

const char *acs_type_name(const struct acs_info *a)
{
	switch (a->pcie_type) {
	case PCIE_NONE:
		return a->bridge ? "conventional PCI bridge" : "conventional PCI device";
	case PCIE_ROOT_PORT:
		return "root port";
	case PCIE_UPSTREAM:
		return "switch upstream port";
	case PCIE_DOWNSTREAM:
		return "switch downstream port";
	case PCIE_PCI_BRIDGE:
		return "PCIe-to-PCI bridge";
	case PCIE_PCIE_BRIDGE:
		return "PCI-to-PCIe bridge";
	case PCIE_RC_END:
		return "root complex integrated endpoint";
	case PCIE_RC_EC:
		return "root complex event collector";
	default:
		return a->bridge ? "bridge" : "device";
	}
}
