/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kmod/modprobe.h"
#include "base/prog.h"
#include "base/root.h"

static const char *const dirs[] = {
	"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
	"/usr/lib/modprobe.d", "/lib/modprobe.d",
};

struct conf_file {
	char name[256];
	char path[512];
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct conf_file *)a)->name, ((const struct conf_file *)b)->name);
}

static int add_line(struct modprobe_conf *c, const char *file, unsigned int lineno, char *line)
{
	static char empty[1];
	char *save = NULL, *cmd, *mod, *rest, *p;
	struct modprobe_line *v;

	cmd = strtok_r(line, " \t", &save);
	if (!cmd || *cmd == '#')
		return 0;
	mod = strtok_r(NULL, " \t", &save);
	if (!mod)
		return 0;
	rest = save ? save : empty;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	v = realloc(c->v, (c->n + 1) * sizeof(*c->v));
	if (!v)
		return -1;
	c->v = v;
	v = &c->v[c->n];
	v->file = strdup(file);
	v->lineno = lineno;
	v->cmd = strdup(cmd);
	v->module = strdup(mod);
	v->rest = strdup(rest);
	if (!v->file || !v->cmd || !v->module || !v->rest)
		return -1;
	/* `alias` names are patterns, not modules; everything else is a module. */
	if (strcmp(cmd, "alias"))
		modname_normalize(v->module);
	for (p = v->rest + strlen(v->rest); p > v->rest && isspace((unsigned char)p[-1]); )
		*--p = '\0';
	c->n++;
	return 0;
}

static int parse_file(struct modprobe_conf *c, const char *path, char *text)
{
	unsigned int lineno = 0, start = 0;
	char *line = text, *next, *p;

	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* Join continued lines: a backslash before the newline. */
		while (next && (p = line + strlen(line)) > line && p[-1] == '\\') {
			char *more = next;

			p[-1] = ' ';
			next = strchr(more, '\n');
			if (next)
				*next++ = '\0';
			memmove(p, more, strlen(more) + 1);
			lineno++;
		}
		start = lineno;
		for (p = line; *p; p++)
			if (*p == '\t')
				*p = ' ';
		if (add_line(c, path, start, line) < 0)
			return -1;
	}
	return 0;
}

int modprobe_conf_load(struct modprobe_conf *c)
{
	struct conf_file *files = NULL;
	size_t nfiles = 0, i, j;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		DIR *d = root_opendir(dirs[i]);
		struct dirent *e;
		struct stat st;
		char path[512];

		if (!d) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			warn("could not read '%s'", root_show(dirs[i]));
			goto out;
		}
		while ((e = readdir(d))) {
			size_t n = strlen(e->d_name);
			struct conf_file *f;

			/*
			 * kmod (conf_files_filter_out) skips names starting with a
			 * dot and directories, and reads *.conf and, in the kmod of
			 * Debian 12 (30) and others before the 2024 change, *.alias.
			 */
			if (e->d_name[0] == '.' || n < 6 || n >= sizeof(f->name) ||
			    (strcmp(e->d_name + n - 5, ".conf") && strcmp(e->d_name + n - 6, ".alias")))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i], e->d_name);
			if (root_stat(path, &st) == 0 && S_ISDIR(st.st_mode))
				continue;
			for (j = 0; j < nfiles; j++)
				if (!strcmp(files[j].name, e->d_name))
					break;
			if (j < nfiles)
				continue;	/* masked by an earlier directory */
			f = realloc(files, (nfiles + 1) * sizeof(*files));
			if (!f) {
				closedir(d);
				goto out;
			}
			files = f;
			snprintf(files[nfiles].name, sizeof(files[nfiles].name), "%s", e->d_name);
			snprintf(files[nfiles].path, sizeof(files[nfiles].path), "%s/%s", dirs[i], e->d_name);
			nfiles++;
		}
		closedir(d);
	}
	if (nfiles)
		qsort(files, nfiles, sizeof(*files), by_name);
	for (i = 0; i < nfiles; i++) {
		char *text = root_read_file(files[i].path, NULL);

		if (!text) {
			warn("could not read '%s'", root_show(files[i].path));
			goto out;
		}
		if (parse_file(c, files[i].path, text) < 0) {
			free(text);
			warn("could not read '%s'", root_show(files[i].path));
			goto out;
		}
		free(text);
	}
	ret = 0;
out:
	free(files);
	return ret;
}

void modprobe_conf_free(struct modprobe_conf *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].file);
		free(c->v[i].cmd);
		free(c->v[i].module);
		free(c->v[i].rest);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static bool same_module(const char *normalized, const char *name)
{
	for (; *normalized && *name; normalized++, name++)
		if (*normalized != (*name == '-' ? '_' : *name))
			return false;
	return !*normalized && !*name;
}

char *modprobe_options(const struct modprobe_conf *c, const char *module)
{
	size_t i, len = 0;
	char *s = NULL;

	for (i = 0; i < c->n; i++) {
		size_t n;
		char *t;

		if (strcmp(c->v[i].cmd, "options") || !same_module(c->v[i].module, module))
			continue;
		n = strlen(c->v[i].rest);
		t = realloc(s, len + n + 2);
		if (!t) {
			free(s);
			return NULL;
		}
		s = t;
		if (len)
			s[len++] = ' ';
		memcpy(s + len, c->v[i].rest, n + 1);
		len += n;
	}
	return s;
}

const struct modprobe_line *modprobe_find(const struct modprobe_conf *c, const char *cmd,
					  const char *module)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].cmd, cmd) && same_module(c->v[i].module, module))
			return &c->v[i];
	return NULL;
}

bool modprobe_softdep_pre(const struct modprobe_conf *c, const char *module, const char *pre)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		char buf[1024], *tok, *save = NULL;
		bool in_pre = false;

		if (strcmp(c->v[i].cmd, "softdep") || !same_module(c->v[i].module, module))
			continue;
		snprintf(buf, sizeof(buf), "%s", c->v[i].rest);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (!strcmp(tok, "pre:"))
				in_pre = true;
			else if (!strcmp(tok, "post:"))
				in_pre = false;
			else if (in_pre && same_module(modname_normalize(tok), pre))
				return true;
		}
	}
	return false;
}
