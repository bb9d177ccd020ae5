/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kmod/kmodules.h"
#include "base/dirlist.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/root.h"
#include "base/strlist.h"
#include "base/banned.h"

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

/* A file of RELEASE's module tree (modules.dep, .builtin, .alias), from /lib/modules or /usr/lib/modules. */
static char *module_file(const char *release, const char *name)
{
	static const char *const bases[] = { "/lib/modules", "/usr/lib/modules" };
	char path[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		char *text;

		snprintf(path, sizeof(path), "%s/%s/%s", bases[i], release, name);
		text = root_read_file(path, NULL);
		if (text)
			return text;
	}
	return NULL;
}

/*
 * Whether MODULE is listed in FILE of RELEASE's tree: modules.builtin
 * (one path a line) or modules.dep (a path, a colon, its dependencies).
 */
static int module_listed(const char *release, const char *file, const char *module)
{
	char want[128], *text, *line, *save = NULL;
	int found = 0;

	snprintf(want, sizeof(want), "%s", module);
	modname_normalize(want);
	text = module_file(release, file);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *base, *ko;

		line[strcspn(line, ":")] = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		ko = strstr(base, ".ko");
		if (ko)
			*ko = '\0';
		if (!strcmp(modname_normalize(base), want)) {
			found = 1;
			break;
		}
	}
	free(text);
	return found;
}

int module_builtin(const char *release, const char *module)
{
	return module_listed(release, "modules.builtin", module);
}

static int by_version(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

static bool has_tree(const char *base, const char *release)
{
	static const char *const files[] = { "modules.dep", "modules.builtin" };
	struct stat st;
	char path[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", base, release, files[i]);
		if (root_stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return true;
	}
	return false;
}

void kernels_free(char **list, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

int kernels_installed(char ***list)
{
	static const char *const bases[] = { "/lib/modules", "/usr/lib/modules" };
	struct strlist found = STRLIST_INIT;
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		struct strlist names = STRLIST_INIT;

		dir_list(bases[i], NULL, 0, &names);
		for (j = 0; j < names.n; j++)
			/* With /lib a link to /usr/lib, both list the same kernels. */
			if (has_tree(bases[i], names.v[j]) && !strlist_has(&found, names.v[j]))
				strlist_add(&found, names.v[j]);
		strlist_free(&names);
	}
	if (found.n)
		qsort(found.v, found.n, sizeof(*found.v), by_version);
	*list = found.v;
	return (int)found.n;
}

int module_loadable(const char *release, const char *module)
{
	return module_listed(release, "modules.dep", module);
}

int kernel_version(const char *release)
{
	unsigned int major, minor;

	if (sscanf(release, "%u.%u", &major, &minor) != 2 || major > 1000 || minor > 999)
		return -1;
	return (int)(major * 1000 + minor);
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

bool module_in_list(const char *list, const char *module)
{
	size_t m = strlen(module);
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == m && !strncmp(p, module, m))
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

int alias_module(const char *release, const char *modalias, const char *skip,
		 char *buf, size_t size)
{
	char *text, *line, *save = NULL;
	int r = -1;

	text = module_file(release, "modules.alias");
	if (!text)
		return -1;
	if (size)
		buf[0] = '\0';
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
		if (fnmatch(pat, modalias, 0) == 0 && !module_in_list(buf, mod)) {
			size_t n = strlen(buf), m = strlen(mod);

			/* Whole names only: a cut one would name another module. */
			if (n + (n ? 1 : 0) + m < size)
				snprintf(buf + n, size - n, "%s%s", n ? "," : "", mod);
			r = 0;
		}
	}
	free(text);
	return r;
}
