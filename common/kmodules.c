#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmodules.h"
#include "modprobe.h"
#include "root.h"

int kernel_release(char *buf, size_t size)
{
	int fd = root_open("/proc/sys/kernel", O_PATH | O_DIRECTORY, 0);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = attr_read(fd, "osrelease", buf, size);
	close(fd);
	return n > 0 ? 0 : -1;
}

/* modules.builtin or modules.alias of RELEASE, from /lib/modules or /usr/lib/modules. */
static char *module_file(const char *release, const char *name)
{
	static const char *const bases[] = { "/lib/modules", "/usr/lib/modules" };
	char path[512];
	size_t i;

	for (i = 0; i < 2; i++) {
		char *text;

		snprintf(path, sizeof(path), "%s/%s/%s", bases[i], release, name);
		text = root_read_file(path, NULL);
		if (text)
			return text;
	}
	return NULL;
}

int module_builtin(const char *release, const char *module)
{
	char want[128], *text, *line, *save = NULL;
	int found = 0;

	snprintf(want, sizeof(want), "%s", module);
	modname_normalize(want);
	text = module_file(release, "modules.builtin");
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *base = strrchr(line, '/');
		size_t n;

		base = base ? base + 1 : line;
		n = strlen(base);
		if (n > 3 && !strcmp(base + n - 3, ".ko"))
			base[n - 3] = '\0';
		if (!strcmp(modname_normalize(base), want)) {
			found = 1;
			break;
		}
	}
	free(text);
	return found;
}

int driver_module(const char *driver, char *buf, size_t size)
{
	char path[256];
	int fd, r;

	snprintf(path, sizeof(path), "/sys/bus/pci/drivers/%s", driver);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return -1;
	r = link_base(fd, "module", buf, size) < 0 ? -1 : 0;
	close(fd);
	return r;
}

int alias_module(const char *release, const char *modalias, const char *skip,
		 char *buf, size_t size)
{
	char *text, *line, *save = NULL;
	int r = -1;

	text = module_file(release, "modules.alias");
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s2 = NULL, *kw, *pat, *mod;

		kw = strtok_r(line, " ", &s2);
		pat = strtok_r(NULL, " ", &s2);
		mod = strtok_r(NULL, " ", &s2);
		if (!kw || !pat || !mod || strcmp(kw, "alias") || strncmp(pat, "pci:", 4))
			continue;
		modname_normalize(mod);
		if (skip && !strcmp(mod, skip))
			continue;
		if (fnmatch(pat, modalias, 0) == 0) {
			snprintf(buf, size, "%s", mod);
			r = 0;
			break;
		}
	}
	free(text);
	return r;
}
