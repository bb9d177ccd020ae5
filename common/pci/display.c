/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/display.h"
#include "base/macros.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

/* The firmware framebuffers' platform devices (sysfb), efifb's, simplefb's and vesafb's. */
static const char *const firmware_fbs[] = {
	"efi-framebuffer.0", "simple-framebuffer.0", "vesa-framebuffer.0",
};

/* Their regions' names in /proc/iomem: the drivers' and sysfb's own. */
static const char *const firmware_regions[] = {
	"efifb", "vesafb", "simplefb", "simpledrm", "BOOTFB",
	"efi-framebuffer.0", "simple-framebuffer.0", "vesa-framebuffer.0",
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the directory PATH has an entry whose name begins with PREFIX. */
static bool has_entry(const char *path, const char *prefix)
{
	DIR *d = root_opendir(path);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return found;
}

bool display_platform_driver(const char *name, char *buf, size_t size)
{
	char path[256];
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), DISPLAY_PLATFORM "/devices/%s", name);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return false;
	if (link_base(fd, "driver", buf, size) < 0)
		buf[0] = '\0';
	close(fd);
	return true;
}

/* Whether ADDR lies in a memory BAR of a function in TAKE (its sysfs resource file). */
static bool in_bars(const struct pcidevs *l, const bool *take, uint64_t addr)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		char path[256], *text, *line;
		size_t len;
		bool in = false;

		if (!take[i])
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", l->dev[i].name);
		text = root_read_file(path, &len);
		if (!text)
			continue;
		for (line = text; line && *line && !in; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
			uint64_t start, end, flags;

			if (sscanf(line, "%" SCNx64 " %" SCNx64 " %" SCNx64, &start, &end, &flags) == 3 &&
			    (flags & 0x200) && end > start && addr >= start && addr <= end)
				in = true;
		}
		free(text);
		if (in)
			return true;
	}
	return false;
}

/*
 * Whether the firmware framebuffer is the card's: a region of a firmware
 * framebuffer in /proc/iomem inside one of the card's BARs.  Where
 * /proc/iomem shows no such region with its address (an unprivileged
 * reader sees zeros), the firmware's display is the boot VGA device's.
 */
static bool firmware_is_cards(const struct pcidevs *l, const bool *take)
{
	char *text, *line;
	size_t len, i, k;
	bool seen = false, ours = false;

	text = root_read_file("/proc/iomem", &len);
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		uint64_t start, end;
		char name[64];

		if (sscanf(line, " %" SCNx64 "-%" SCNx64 " : %63[^\n]", &start, &end, name) != 3 || !start)
			continue;
		for (k = 0; k < ARRAY_SIZE(firmware_regions); k++) {
			if (strcmp(name, firmware_regions[k]))
				continue;
			seen = true;
			ours = ours || in_bars(l, take, start);
		}
	}
	free(text);
	if (seen)
		return ours;
	for (i = 0; i < l->n; i++)
		if (take[i] && l->dev[i].boot_vga == 1)
			return true;
	return false;
}

/* The framebuffer consoles bound, by name, into DP. */
static void bound_consoles(struct display *dp)
{
	DIR *d = root_opendir(DISPLAY_VTCONSOLES);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "vtcon", 5)) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		char path[256], bind[8], name[128];
		int fd;

		snprintf(path, sizeof(path), DISPLAY_VTCONSOLES "/%s", names[i]);
		fd = root_open(path, O_PATH | O_DIRECTORY, 0);
		if (fd >= 0 && attr_read(fd, "bind", bind, sizeof(bind)) >= 0 &&
		    attr_read(fd, "name", name, sizeof(name)) >= 0 && !strcmp(bind, "1") &&
		    strstr(name, "frame buffer")) {
			struct display_console *c;

			dp->cons = xreallocarray(dp->cons, dp->ncons + 1, sizeof(*dp->cons));
			c = &dp->cons[dp->ncons++];
			snprintf(c->name, sizeof(c->name), "%s", names[i]);
			snprintf(c->what, sizeof(c->what), "%s", name);
		}
		if (fd >= 0)
			close(fd);
		free(names[i]);
	}
	free(names);
}

void display_scan(struct display *dp, const struct pcidevs *l, const bool *take)
{
	char drv[64];
	bool fbs = false, mine;
	size_t i, k;

	memset(dp, 0, sizeof(*dp));
	mine = firmware_is_cards(l, take);
	for (k = 0; k < ARRAY_SIZE(firmware_fbs); k++) {
		struct display_firmware *f;
		char path[256];

		if (!mine || !display_platform_driver(firmware_fbs[k], drv, sizeof(drv)) || !drv[0])
			continue;
		dp->fw = xreallocarray(dp->fw, dp->nfw + 1, sizeof(*dp->fw));
		f = &dp->fw[dp->nfw++];
		snprintf(f->name, sizeof(f->name), "%s", firmware_fbs[k]);
		snprintf(f->driver, sizeof(f->driver), "%s", drv);
		snprintf(path, sizeof(path), DISPLAY_PLATFORM "/devices/%s/graphics", firmware_fbs[k]);
		fbs = fbs || has_entry(path, "fb");
	}
	for (i = 0; i < l->n && !fbs; i++) {
		char path[256];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/graphics", l->dev[i].name);
		fbs = take[i] && has_entry(path, "fb");
	}
	if (fbs)
		bound_consoles(dp);
}

void display_free(struct display *dp)
{
	free(dp->cons);
	free(dp->fw);
	memset(dp, 0, sizeof(*dp));
}

void display_handover_path(const struct pcidevs *l, const bool *take, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < l->n && !take[i]; i++)
		;
	snprintf(buf, size, DISPLAY_STATE_DIR "/handover-%s", i < l->n ? l->dev[i].name : "none");
}

int display_boot_id(char *buf, size_t size)
{
	int fd = root_open("/proc/sys/kernel/random", O_PATH | O_DIRECTORY, 0), e;
	ssize_t n = fd >= 0 ? attr_read(fd, "boot_id", buf, size) : -1;

	if (fd >= 0) {
		e = errno;
		close(fd);
		errno = e;
	}
	if (n == 0)
		errno = ENODATA;
	return n > 0 ? 0 : -1;
}

int display_handover_recorded(const char *path, const char **failed)
{
	char *text, *line, id[64], rec[64];
	int r = 0, e = 0;

	*failed = path;
	text = root_read_file(path, NULL);
	if (!text)
		return errno == ENOENT ? 0 : -1;
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		int n = 0;

		if (sscanf(line, "boot_id %63s%n", rec, &n) == 1 &&
		    (line[n] == '\n' || line[n] == '\0')) {
			r = display_boot_id(id, sizeof(id)) < 0 ? -1 : !strcmp(rec, id);
			e = errno;
			if (r < 0)
				*failed = DISPLAY_BOOT_ID;
			break;
		}
	}
	free(text);
	errno = e;
	return r;
}
