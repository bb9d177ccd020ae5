/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/output.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/xalloc.h"
#include "base/banned.h"

struct rfile {
	char *path;
	enum report_action action;
	char *diff;
};

struct rdevice {
	char *device, *from, *to;
	enum report_action action;
};

struct strs {
	char **v;
	size_t n, alloc;
};

static struct {
	bool active;
	FILE *doc;		/* the standard output the document goes to */
	char *root;
	enum report_mode mode;
	bool changed, reboot;
	struct rfile *files;
	size_t nfiles, files_alloc;
	struct rdevice *devices;
	size_t ndevices, devices_alloc;
	struct strs commands, warnings;
} r;

static const char *const mode_names[] = {
	[REPORT_WRITE] = "write",
	[REPORT_DRY_RUN] = "dry-run",
	[REPORT_CHECK] = "check",
};

static const char *const action_names[] = {
	[REPORT_CREATED] = "created",
	[REPORT_UPDATED] = "updated",
	[REPORT_REMOVED] = "removed",
	[REPORT_UNCHANGED] = "unchanged",
	[REPORT_BOUND] = "bound",
	[REPORT_UNBOUND] = "unbound",
};

static void strs_add(struct strs *s, char *str)
{
	XGROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = str;
}

static void strs_print(struct out *o, const char *key, const struct strs *s)
{
	size_t i;

	out_array_begin(o, key);
	for (i = 0; i < s->n; i++)
		out_string(o, NULL, NULL, s->v[i]);
	out_array_end(o);
}

static void strs_free(struct strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static void release(void)
{
	size_t i;

	for (i = 0; i < r.nfiles; i++) {
		free(r.files[i].path);
		free(r.files[i].diff);
	}
	free(r.files);
	for (i = 0; i < r.ndevices; i++) {
		free(r.devices[i].device);
		free(r.devices[i].from);
		free(r.devices[i].to);
	}
	free(r.devices);
	strs_free(&r.commands);
	strs_free(&r.warnings);
	free(r.root);
}

static void print(int status)
{
	struct out o;
	size_t i;

	out_init(&o, r.doc, true);
	out_object_begin(&o, NULL);
	out_string(&o, "tool", NULL, prog_name());
	out_string(&o, "version", NULL, VERSION);
	out_string(&o, "root", NULL, r.root);
	out_string(&o, "mode", NULL, mode_names[r.mode]);
	out_bool(&o, "changed", NULL, r.changed);
	out_int(&o, "status", NULL, status);
	out_array_begin(&o, "files");
	for (i = 0; i < r.nfiles; i++) {
		out_object_begin(&o, NULL);
		out_string(&o, "path", NULL, r.files[i].path);
		out_string(&o, "action", NULL, action_names[r.files[i].action]);
		if (r.files[i].diff)
			out_string(&o, "diff", NULL, r.files[i].diff);
		out_object_end(&o);
	}
	out_array_end(&o);
	out_array_begin(&o, "devices");
	for (i = 0; i < r.ndevices; i++) {
		out_object_begin(&o, NULL);
		out_string(&o, "device", NULL, r.devices[i].device);
		out_string(&o, "from", NULL, r.devices[i].from);
		out_string(&o, "to", NULL, r.devices[i].to);
		out_string(&o, "action", NULL, action_names[r.devices[i].action]);
		out_object_end(&o);
	}
	out_array_end(&o);
	strs_print(&o, "commands", &r.commands);
	out_bool(&o, "reboot", NULL, r.reboot);
	strs_print(&o, "warnings", &r.warnings);
	out_object_end(&o);
	out_finish(&o);
}

/*
 * At exit, before stdout is closed (prog_init() registered that first):
 * the document with the status the tool exits with.  A usage error
 * prints none.
 */
static void at_exit(int status, void *arg)
{
	int e = 0;

	if (!r.active)
		return;
	r.active = false;
	if (status != EXIT_USAGE)
		print(status);
	if (ferror(r.doc) || fflush(r.doc) != 0)
		e = errno ? errno : EIO;
	if (fclose(r.doc) != 0 && !e)
		e = errno;
	release();
	if (e && e != EPIPE)
		fprintf(stderr, "%s: could not write standard output: %s\n", prog_name(), strerror(e));
	if (e)
		_exit(EXIT_FAIL);
}

void report_init(bool json, const char *root, enum report_mode mode)
{
	size_t len;
	int fd;

	if (!json || r.active)
		return;
	fflush(stdout);
	/* The document's own descriptor; the text for people goes to stderr. */
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || !(r.doc = fdopen(fd, "w")))
		err(EXIT_FAIL, "could not write standard output");
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		err(EXIT_FAIL, "could not write standard output");
	setvbuf(stdout, NULL, _IOLBF, 0);
	len = root ? strlen(root) : 0;
	while (len > 1 && root[len - 1] == '/')
		len--;
	r.root = len ? xstrndup(root, len) : xstrdup("/");
	r.mode = mode;
	r.active = true;
	if (on_exit(at_exit, NULL) != 0)
		err(EXIT_FAIL, "could not write standard output");
}

bool report_active(void)
{
	return r.active;
}

void report_file(const char *path, enum report_action action, const char *diff)
{
	if (!r.active)
		return;
	XGROW(r.files, r.nfiles + 1, r.files_alloc);
	r.files[r.nfiles++] = (struct rfile){
		.path = xstrdup(path),
		.action = action,
		.diff = diff ? xstrdup(diff) : NULL,
	};
}

void report_device(const char *device, const char *from, const char *to,
		   enum report_action action)
{
	if (!r.active)
		return;
	XGROW(r.devices, r.ndevices + 1, r.devices_alloc);
	r.devices[r.ndevices++] = (struct rdevice){
		.device = xstrdup(device),
		.from = from && *from ? xstrdup(from) : NULL,
		.to = to && *to ? xstrdup(to) : NULL,
		.action = action,
	};
}

void report_changed(void)
{
	r.changed = true;
}

void report_command(const char *line)
{
	if (r.active)
		strs_add(&r.commands, xstrdup(line));
}

void report_reboot(void)
{
	r.reboot = true;
}

void report_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	if (!r.active)
		return;
	va_start(ap, fmt);
	strs_add(&r.warnings, xvasprintf(fmt, ap));
	va_end(ap);
}

void report_warned(const char *fmt, ...)
{
	va_list ap;

	if (!r.active)
		return;
	va_start(ap, fmt);
	strs_add(&r.warnings, xvasprintf(fmt, ap));
	va_end(ap);
}
