/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/prog.h"
#include "base/root.h"
#include "pci/sysfsbind.h"
#include "base/banned.h"

#define DEVICES "/sys/bus/pci/devices"
#define DRIVERS "/sys/bus/pci/drivers"

int sysfs_write(const char *path, const char *value, bool dry_run)
{
	size_t len = strlen(value);
	ssize_t n;
	int fd;

	if (dry_run) {
		if (!strcmp(value, "\n"))
			printf("echo > %s\n", root_show(path));
		else
			printf("echo %s > %s\n", value, root_show(path));
		return 0;
	}
	fd = root_open(path, O_WRONLY, 0);
	if (fd < 0) {
		warn("could not write '%s'", root_show(path));
		return -1;
	}
	/* sysfs takes a value in one write(2). */
	n = write(fd, value, len);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		errno = e;
		warn("could not write '%s' to '%s'", value, root_show(path));
		return -1;
	}
	if (close(fd) < 0) {
		warn("could not write '%s' to '%s'", value, root_show(path));
		return -1;
	}
	return 0;
}

int pci_driver_now(const char *name, char *buf, size_t size)
{
	char path[sizeof(DEVICES) + PCI_ADDR_LEN + 1];
	int fd;

	snprintf(path, sizeof(path), DEVICES "/%s", name);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return -1;
	buf[0] = '\0';
	if (link_base(fd, "driver", buf, size) < 0 && errno != ENOENT) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

bool pci_driver_registered(const char *driver)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), DRIVERS "/%s", driver);
	return root_stat(path, &st) == 0;
}

/*
 * The driver link follows the probe; give a slow probe a moment before
 * calling the bind a failure.
 */
static int wait_driver(const char *name, const char *want, char *buf, size_t size)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 50; i++) {
		if (pci_driver_now(name, buf, size) < 0)
			return -1;
		if (!strcmp(buf, want))
			return 0;
		nanosleep(&ts, NULL);
	}
	return 0;
}

int pci_unbind_from(const char *name, const char *driver, bool dry_run)
{
	char path[256];

	snprintf(path, sizeof(path), DRIVERS "/%s/unbind", driver);
	return sysfs_write(path, name, dry_run);
}

int pci_bind_driver(const struct pcidev *d, const char *driver, bool dry_run)
{
	char path[256], now[64], old[64];

	if (dry_run)
		snprintf(old, sizeof(old), "%s", d->driver);
	else if (pci_driver_now(d->name, old, sizeof(old)) < 0) {
		warn("could not read '%s/%s/driver'", root_show(DEVICES), d->name);
		return -1;
	}
	snprintf(path, sizeof(path), DEVICES "/%s/driver_override", d->name);
	if (sysfs_write(path, driver, dry_run) < 0)
		return -1;
	if (old[0] && pci_unbind_from(d->name, old, dry_run) < 0)
		goto undo;
	if (sysfs_write("/sys/bus/pci/drivers_probe", d->name, dry_run) < 0)
		goto undo;
	if (dry_run)
		return 0;
	if (wait_driver(d->name, driver, now, sizeof(now)) < 0) {
		warn("could not read '%s/%s/driver'", root_show(DEVICES), d->name);
		goto undo;
	}
	if (strcmp(now, driver)) {
		warnx("%s: %s did not take the device (%s)", d->name, driver,
		      now[0] ? now : "no driver bound");
		goto undo;
	}
	return 0;
undo:
	/* Back to where it was: no override, its old driver probed again. */
	if (!dry_run) {
		snprintf(path, sizeof(path), DEVICES "/%s/driver_override", d->name);
		sysfs_write(path, "\n", false);
		if (pci_driver_now(d->name, now, sizeof(now)) == 0 && now[0] && strcmp(now, old))
			pci_unbind_from(d->name, now, false);
		if (pci_driver_now(d->name, now, sizeof(now)) == 0 && !now[0])
			sysfs_write("/sys/bus/pci/drivers_probe", d->name, false);
	}
	return -1;
}

int pci_release(const struct pcidev *d, bool dry_run, char *newdrv, size_t size)
{
	char path[256], now[64];

	snprintf(path, sizeof(path), DEVICES "/%s/driver_override", d->name);
	if (sysfs_write(path, "\n", dry_run) < 0)
		return -1;
	if (dry_run)
		snprintf(now, sizeof(now), "%s", d->driver);
	else if (pci_driver_now(d->name, now, sizeof(now)) < 0) {
		warn("could not read '%s/%s/driver'", root_show(DEVICES), d->name);
		return -1;
	}
	if (now[0] && pci_unbind_from(d->name, now, dry_run) < 0)
		return -1;
	if (sysfs_write("/sys/bus/pci/drivers_probe", d->name, dry_run) < 0)
		return -1;
	if (dry_run) {
		snprintf(newdrv, size, "%s", "");
		return 0;
	}
	if (pci_driver_now(d->name, newdrv, size) < 0) {
		warn("could not read '%s/%s/driver'", root_show(DEVICES), d->name);
		return -1;
	}
	return 0;
}

int pci_bind_to(const char *name, const char *driver, bool dry_run, char *now, size_t size)
{
	char path[256];

	snprintf(path, sizeof(path), DRIVERS "/%s/bind", driver);
	if (sysfs_write(path, name, dry_run) < 0)
		return -1;
	if (dry_run) {
		snprintf(now, size, "%s", driver);
		return 0;
	}
	if (wait_driver(name, driver, now, size) < 0) {
		warn("could not read '%s/%s/driver'", root_show(DEVICES), name);
		return -1;
	}
	return 0;
}
