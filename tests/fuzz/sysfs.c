/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysfs attribute values as the tools read them: attr_read()'s trimming
 * (root.h) and the PCI device model's reading of a device's attributes
 * through libpci (pcidev.h).  The input is one attribute's contents, put
 * in turn in each attribute pcidev reads, the others being an NVIDIA
 * GPU's.
 *
 * Properties: attr_read() gives the contents up to a NUL and the white
 * space that ends them, or fails with EFBIG when they do not fit; a
 * scan either fails or lists the one device with every field in range,
 * and lspci's description of it fits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "pci/pcidev.h"
#include "base/root.h"

#define DEV "/sys/bus/pci/devices/0000:01:00.0/"

static const char *const attrs[][2] = {
	{ "vendor", "0x10de\n" },
	{ "device", "0x1b80\n" },
	{ "class", "0x030000\n" },
	{ "revision", "0xa1\n" },
	{ "subsystem_vendor", "0x1043\n" },
	{ "subsystem_device", "0x85a4\n" },
	{ "driver_override", "(null)\n" },
	{ "reset_method", "flr bus\n" },
	{ "boot_vga", "1\n" },
};
#define NATTRS (sizeof(attrs) / sizeof(attrs[0]))

static bool trailing_blank(char c)
{
	return c == '\n' || c == ' ' || c == '\t';
}

static void check_attr_read(const uint8_t *data, size_t size)
{
	char buf[256];
	ssize_t n;
	size_t i;
	int dir;

	fuzz_root_put("/sys/attr", (const char *)data, size);
	dir = root_open("/sys", O_PATH | O_DIRECTORY, 0);
	CHECK(dir >= 0);
	n = attr_read(dir, "attr", buf, sizeof(buf));
	close(dir);
	if (size >= sizeof(buf)) {
		CHECK(n < 0 && errno == EFBIG);
		return;
	}
	CHECK(n >= 0 && (size_t)n <= size && buf[n] == '\0' && !memcmp(buf, data, (size_t)n));
	CHECK(n == 0 || !trailing_blank(buf[n - 1]));
	for (i = (size_t)n; i < size && data[i]; i++)
		CHECK(trailing_blank((char)data[i]));
}

static void check_scan(void)
{
	struct pcidevs l;
	const struct pcidev *d;
	char buf[512], slot[PCI_ADDR_LEN];
	size_t n;

	if (pcidevs_scan(&l, PCIDEV_ALL) < 0) {
		pcidevs_free(&l);
		return;
	}
	CHECK(l.n == 1);
	d = &l.dev[0];
	CHECK(!strcmp(d->name, "0000:01:00.0") && !l.domains);
	CHECK(d->revision >= -1 && d->revision <= 0xff);
	CHECK(d->subsys_vendor >= -1 && d->subsys_vendor <= 0xffff);
	CHECK(d->subsys_device >= -1 && d->subsys_device <= 0xffff);
	CHECK(d->boot_vga >= -1 && d->boot_vga <= 1);
	CHECK(strcmp(d->override, "(null)"));
	n = strlen(d->override);
	CHECK(n == 0 || !trailing_blank(d->override[n - 1]));
	n = strlen(d->reset);
	CHECK(d->has_reset || n == 0);
	CHECK(n == 0 || !trailing_blank(d->reset[n - 1]));
	CHECK(!strcmp(pcidev_slot(&l, d, slot), "01:00.0"));
	CHECK(strlen(pcidev_describe(&l, d, buf, sizeof(buf))) < sizeof(buf));
	pcidevs_free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t k, i;

	fuzz_root();
	fuzz_root_clear();
	check_attr_read(data, size);
	fuzz_root_put(DEV "resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", 57);
	fuzz_root_put(DEV "irq", "16\n", 3);
	for (k = 0; k < NATTRS; k++) {
		for (i = 0; i < NATTRS; i++) {
			char path[64];

			snprintf(path, sizeof(path), DEV "%s", attrs[i][0]);
			if (i == k)
				fuzz_root_put(path, (const char *)data, size);
			else
				fuzz_root_put(path, attrs[i][1], strlen(attrs[i][1]));
		}
		check_scan();
	}
	return 0;
}
