/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kmod/modprobe.h"
#include "base/dirlist.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/prog.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "base/banned.h"

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

static void add_line(struct modprobe_conf *c, const char *file, unsigned int lineno, char *line)
{
	static char empty[1];
	char *save = NULL, *cmd, *mod, *rest, *p;
	struct modprobe_line *v;

	cmd = strtok_r(line, " \t", &save);
	if (!cmd || *cmd == '#')
		return;
	mod = strtok_r(NULL, " \t", &save);
	if (!mod)
		return;
	rest = save ? save : empty;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	XGROW(c->v, c->n + 1, c->alloc);
	v = &c->v[c->n];
	v->file = xstrdup(file);
	v->lineno = lineno;
	v->cmd = xstrdup(cmd);
	v->module = xstrdup(mod);
	v->rest = xstrdup(rest);
	/* `alias` names are patterns, not modules; everything else is a module. */
	if (strcmp(cmd, "alias"))
		modname_normalize(v->module);
	for (p = v->rest + strlen(v->rest); p > v->rest && isspace((unsigned char)p[-1]); )
		*--p = '\0';
	c->n++;
}

static void parse_file(struct modprobe_conf *c, const char *path, char *text)
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
		add_line(c, path, start, line);
	}
}

/*
 * kmod (conf_files_filter_out) skips names starting with a dot and
 * directories, and reads *.conf and, in the kmod of Debian 12 (30) and
 * others before the 2024 change, *.alias.
 */
static bool conf_name(const char *dir, const char *name)
{
	size_t n = strlen(name);
	struct strbuf path = STRBUF_INIT;
	struct stat st;
	bool isdir;

	if (n < 6 || (strcmp(name + n - 5, ".conf") && strcmp(name + n - 6, ".alias")))
		return false;
	strbuf_addf(&path, "%s/%s", dir, name);
	isdir = root_stat(path.buf, &st) == 0 && S_ISDIR(st.st_mode);
	strbuf_release(&path);
	return !isdir;
}

int modprobe_conf_load(struct modprobe_conf *c)
{
	struct conf_file *files = NULL;
	size_t nfiles = 0, alloc = 0, i, j, k;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		struct strlist names = STRLIST_INIT;

		if (dir_list(dirs[i], NULL, 0, &names) < 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue;
			warn("could not read '%s'", root_show(dirs[i]));
			goto out;
		}
		for (k = 0; k < names.n; k++) {
			const char *name = names.v[k];

			if (strlen(name) >= sizeof(files->name) || !conf_name(dirs[i], name))
				continue;
			for (j = 0; j < nfiles; j++)
				if (!strcmp(files[j].name, name))
					break;
			if (j < nfiles)
				continue;	/* masked by an earlier directory */
			XGROW(files, nfiles + 1, alloc);
			snprintf(files[nfiles].name, sizeof(files[nfiles].name), "%s", name);
			snprintf(files[nfiles].path, sizeof(files[nfiles].path), "%s/%s", dirs[i], name);
			nfiles++;
		}
		strlist_free(&names);
	}
	if (nfiles)
		qsort(files, nfiles, sizeof(*files), by_name);
	for (i = 0; i < nfiles; i++) {
		char *text = root_read_file(files[i].path, NULL);

		if (!text) {
			warn("could not read '%s'", root_show(files[i].path));
			goto out;
		}
		parse_file(c, files[i].path, text);
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

const struct modprobe_line *modprobe_find(const struct modprobe_conf *c, const char *cmd,
					  const char *module)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].cmd, cmd) && modname_eq(c->v[i].module, module))
			return &c->v[i];
	return NULL;
}

bool modprobe_softdep_pre(const struct modprobe_conf *c, const char *module, const char *pre)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		char buf[1024], *tok, *save = NULL;
		bool in_pre = false;

		if (strcmp(c->v[i].cmd, "softdep") || !modname_eq(c->v[i].module, module))
			continue;
		snprintf(buf, sizeof(buf), "%s", c->v[i].rest);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (!strcmp(tok, "pre:"))
				in_pre = true;
			else if (!strcmp(tok, "post:"))
				in_pre = false;
			else if (in_pre && modname_eq(modname_normalize(tok), pre))
				return true;
		}
	}
	return false;
}
