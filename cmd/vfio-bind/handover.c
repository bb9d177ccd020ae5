/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-bind --handover and --giveback: the boot GPU taken from a running
 * host with its virtual consoles and firmware framebuffer, each change
 * recorded in a state file before it is made, and given back from that
 * file in reverse order.
 *
 * What the kernel does meanwhile (Linux 6.1): a DRM driver that takes the
 * card removes the firmware framebuffer's platform device (efifb), and so
 * does vfio-pci's probe; it does not come back before the next boot.  The
 * framebuffer console is rebound by the DRM driver's own framebuffer when
 * it takes the card again, and vanishes with the last framebuffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "pci/display.h"
#include "pci/sysfsbind.h"
#include "vfio-bind.h"
#include "base/banned.h"

enum step_kind { STEP_VTCON, STEP_FIRMWARE, STEP_PCI };

static const char *const kind_names[] = { "vtcon", "firmware", "pci" };

/* One change: a console unbound, a firmware framebuffer released, a function taken. */
struct step {
	enum step_kind kind;
	char name[64];		/* vtconN, the platform device, the function */
	char what[128];		/* the console's name, the driver released or the function's ("-": none) */
};

struct state {
	char boot_id[64];
	struct step *steps;
	size_t n;
};

static int read_boot_id(char *buf, size_t size)
{
	if (display_boot_id(buf, size) < 0) {
		warn("could not read '%s'", root_show(DISPLAY_BOOT_ID));
		return -1;
	}
	return 0;
}

/* Remove the state file PATH and sync its directory; 0, or -1 after saying why. */
static int state_remove(const char *path)
{
	int fd = root_open(DISPLAY_STATE_DIR, O_RDONLY | O_DIRECTORY, 0);

	if (fd < 0 || unlinkat(fd, strrchr(path, '/') + 1, 0) < 0 || fsync(fd) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		errno = e;
		warn("could not remove '%s'", root_show(path));
		return -1;
	}
	close(fd);
	return 0;
}

static void state_add(struct state *st, enum step_kind kind, const char *name, const char *what)
{
	struct step *s;

	st->steps = xreallocarray(st->steps, st->n + 1, sizeof(*st->steps));
	s = &st->steps[st->n++];
	s->kind = kind;
	snprintf(s->name, sizeof(s->name), "%s", name);
	snprintf(s->what, sizeof(s->what), "%s", what);
}

/* Write ST to PATH atomically; 0, or -1 after saying why. */
static int state_save(const struct state *st, const char *path, const char *card)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	int r;

	if (!f)
		err(EXIT_FAIL, "out of memory");
	fprintf(f, "# vfio-bind --handover %s: what it changed, undone by vfio-bind --giveback\n",
		card);
	fprintf(f, "boot_id %s\n", st->boot_id);
	for (i = 0; i < st->n; i++)
		fprintf(f, "%s %s %s\n", kind_names[st->steps[i].kind], st->steps[i].name,
			st->steps[i].what);
	if (fclose(f) != 0)
		err(EXIT_FAIL, "out of memory");
	r = root_mkdirs(DISPLAY_STATE_DIR, 0755);
	if (r == 0)
		r = atomic_write(path, buf, len, 0644);
	if (r < 0)
		warn("could not write '%s'", root_show(path));
	free(buf);
	return r;
}

/*
 * Read the state file PATH into ST.  Returns 1 when read, 0 when there is
 * none, -1 after saying why (unreadable, or a line vfio-bind does not write).
 */
static int state_load(struct state *st, const char *path)
{
	char *text, *line, *next;
	unsigned int no = 0;
	size_t len;

	memset(st, 0, sizeof(*st));
	text = root_read_file(path, &len);
	if (!text) {
		if (errno == ENOENT)
			return 0;
		warn("could not read '%s'", root_show(path));
		return -1;
	}
	for (line = text; line && *line; line = next) {
		char kind[16], name[64], what[128];
		size_t k;
		int n = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		no++;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (sscanf(line, "boot_id %63s%n", st->boot_id, &n) == 1 && line[n] == '\0')
			continue;
		if (sscanf(line, "%15s %63s %n", kind, name, &n) == 2 && line[n] != '\0') {
			snprintf(what, sizeof(what), "%s", line + n);
			for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
				if (!strcmp(kind, kind_names[k]))
					break;
			if (k < sizeof(kind_names) / sizeof(kind_names[0])) {
				state_add(st, (enum step_kind)k, name, what);
				continue;
			}
		}
		warnx("'%s' line %u: not a line vfio-bind --handover writes", root_show(path), no);
		free(text);
		free(st->steps);
		return -1;
	}
	free(text);
	return 1;
}

/* What the hand-over changes, in order, into ST. */
static void plan(struct state *st, const bool *take)
{
	struct display dp;
	size_t i;

	display_scan(&dp, &devs, take);
	/* The framebuffer console first: it draws on what is released next. */
	for (i = 0; i < dp.ncons; i++)
		state_add(st, STEP_VTCON, dp.cons[i].name, dp.cons[i].what);
	for (i = 0; i < dp.nfw; i++)
		state_add(st, STEP_FIRMWARE, dp.fw[i].name, dp.fw[i].driver);
	for (i = 0; i < devs.n; i++)
		if (take[i] && !devsel_on_vfio(&devs.dev[i]))
			state_add(st, STEP_PCI, devs.dev[i].name,
				  devs.dev[i].driver[0] ? devs.dev[i].driver : "-");
	display_free(&dp);
}

/* The console's sysfs folder now: the one of that name, its number may have moved. */
static bool find_vtcon(const struct step *s, char *path, size_t size)
{
	DIR *d = root_opendir(DISPLAY_VTCONSOLES);
	struct dirent *e;
	bool found = false;

	snprintf(path, size, DISPLAY_VTCONSOLES "/%s", s->name);
	while (d && !found && (e = readdir(d))) {
		char name[128];
		int fd;

		if (strncmp(e->d_name, "vtcon", 5))
			continue;
		snprintf(path, size, DISPLAY_VTCONSOLES "/%s", e->d_name);
		fd = root_open(path, O_PATH | O_DIRECTORY, 0);
		found = fd >= 0 && attr_read(fd, "name", name, sizeof(name)) >= 0 &&
			!strcmp(name, s->what);
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
	return found;
}

/* Undo step S.  Returns 0, or -1 after saying why. */
static int undo(const struct opts *o, const struct step *s)
{
	char path[512], now[64], bind[8];
	size_t i;

	switch (s->kind) {
	case STEP_VTCON:
		if (!find_vtcon(s, path, sizeof(path) - 5)) {
			printf("%s (%s): gone, with the framebuffer it was on\n", s->name, s->what);
			return 0;
		}
		{
			int fd = root_open(path, O_PATH | O_DIRECTORY, 0);
			ssize_t n = fd >= 0 ? attr_read(fd, "bind", bind, sizeof(bind)) : -1;

			if (fd >= 0)
				close(fd);
			if (n >= 0 && !strcmp(bind, "1")) {
				if (!o->dry_run)
					printf("%s (%s): bound again by the kernel\n", strrchr(path, '/') + 1,
					       s->what);
				return 0;
			}
		}
		snprintf(now, sizeof(now), "%s", strrchr(path, '/') + 1);
		snprintf(path + strlen(path), sizeof(path) - strlen(path), "/bind");
		if (sysfs_write(path, "1", o->dry_run) < 0)
			return -1;
		if (!o->dry_run)
			printf("%s (%s): bound again\n", now, s->what);
		return 0;
	case STEP_FIRMWARE:
		if (!display_platform_driver(s->name, now, sizeof(now))) {
			printf("%s: removed by the kernel when a driver took the card; "
			       "it comes back at the next boot\n", s->name);
			return 0;
		}
		if (now[0]) {
			if (!o->dry_run)
				printf("%s: on %s\n", s->name, now);
			return 0;
		}
		snprintf(path, sizeof(path), DISPLAY_PLATFORM "/drivers/%s/bind", s->what);
		if (sysfs_write(path, s->name, o->dry_run) < 0)
			return -1;
		if (!o->dry_run)
			printf("%s: given back to %s\n", s->name, s->what);
		return 0;
	case STEP_PCI:
		break;
	}
	for (i = 0; i < devs.n && strcmp(devs.dev[i].name, s->name); i++)
		;
	if (i == devs.n) {
		printf("%s: gone\n", s->name);
		return 0;
	}
	{
		const struct pcidev *d = &devs.dev[i];
		const char *orig = strcmp(s->what, "-") ? s->what : "";

		if (!strcmp(d->driver, orig) && !d->override[0]) {
			report_device(d->name, d->driver, d->driver, REPORT_UNCHANGED);
			if (!o->dry_run)
				printf("%s: on %s\n", d->name, orig[0] ? orig : "no driver");
			return 0;
		}
		report_device(d->name, d->driver, orig[0] ? orig : NULL, REPORT_UNBOUND);
		report_changed();
		if (d->driver[0] && strcmp(d->driver, orig) &&
		    pci_unbind_from(d->name, d->driver, o->dry_run) < 0)
			return -1;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", d->name);
		if (d->override[0] && sysfs_write(path, "\n", o->dry_run) < 0)
			return -1;
		if (!orig[0] || !strcmp(d->driver, orig)) {
			if (!o->dry_run)
				printf("%s: %s -> %s\n", d->name, d->driver[0] ? d->driver : "no driver",
				       orig[0] ? orig : "no driver");
			return 0;
		}
		if (pci_bind_to(d->name, orig, o->dry_run, now, sizeof(now)) < 0)
			return -1;
		if (o->dry_run)
			return 0;
		if (strcmp(now, orig)) {
			warnx("%s: %s did not take it back (%s)", d->name, orig,
			      now[0] ? now : "no driver bound");
			return -1;
		}
		printf("%s: %s -> %s\n", d->name, d->driver[0] ? d->driver : "no driver", orig);
	}
	return 0;
}

/* Undo the steps of ST in reverse order; the number that failed. */
static size_t undo_all(const struct opts *o, const struct state *st)
{
	size_t i, failed = 0;

	for (i = st->n; i-- > 0;)
		if (undo(o, &st->steps[i]) < 0)
			failed++;
	return failed;
}

/* Do step S of the hand-over, but the functions' (bind_now's).  0, or -1. */
static int take_step(const struct opts *o, const struct step *s)
{
	char path[256];

	if (s->kind == STEP_VTCON) {
		snprintf(path, sizeof(path), DISPLAY_VTCONSOLES "/%s/bind", s->name);
		if (sysfs_write(path, "0", o->dry_run) < 0)
			return -1;
		if (!o->dry_run)
			printf("%s (%s): unbound\n", s->name, s->what);
	} else if (s->kind == STEP_FIRMWARE) {
		snprintf(path, sizeof(path), DISPLAY_PLATFORM "/drivers/%s/unbind", s->what);
		if (sysfs_write(path, s->name, o->dry_run) < 0)
			return -1;
		if (!o->dry_run)
			printf("%s: released from %s\n", s->name, s->what);
	}
	return 0;
}

int handover(const struct opts *o, const bool *take)
{
	struct state st = { 0 }, old;
	char path[256], card[64];
	size_t i, n;
	int r, ret = EXIT_OK;

	display_handover_path(&devs, take, path, sizeof(path));
	snprintf(card, sizeof(card), "%s", strrchr(path, '-') + 1);
	if (read_boot_id(st.boot_id, sizeof(st.boot_id)) < 0)
		return EXIT_FAIL;
	r = state_load(&old, path);
	if (r < 0)
		return EXIT_FAIL;
	if (r > 0) {
		free(old.steps);
		if (!strcmp(old.boot_id, st.boot_id)) {
			warnx("a hand-over of %s is recorded in '%s': 'vfio-bind --giveback %s' "
			      "gives it back first", card, root_show(path), card);
			return EXIT_FAIL;
		}
		warnx("'%s' is from an earlier boot: ignored", root_show(path));
	}
	plan(&st, take);
	if (o->dry_run)
		printf("# recorded in %s first: %zu change%s\n", root_show(path), st.n,
		       st.n == 1 ? "" : "s");
	/* Each change on record before it is made: a killed run leaves what to undo. */
	for (n = 0, i = 0; i < st.n; i++) {
		struct state upto = st;

		if (st.steps[i].kind == STEP_PCI)
			break;
		upto.n = i + 1;
		if (!o->dry_run && state_save(&upto, path, card) < 0)
			goto fail;
		if (take_step(o, &st.steps[i]) < 0)
			goto fail;
		n = i + 1;
	}
	if (i < st.n && !o->dry_run && state_save(&st, path, card) < 0)
		goto fail;
	if (st.n > 0)
		report_file(path, REPORT_CREATED, NULL);
	ret = bind_now(o, take);
	if (ret != EXIT_OK)
		goto fail;
	if (!o->dry_run && st.n > 0)
		printf("%s: handed over; 'vfio-bind --giveback %s' gives it back (%s)\n", card, card,
		       root_show(path));
	free(st.steps);
	return EXIT_OK;
fail:
	/* Back as it was: bind_now gave the functions back, the rest here. */
	if (!o->dry_run) {
		struct state done = st;
		struct stat sb;

		done.n = n;
		if (undo_all(o, &done) == 0 && root_stat(path, &sb) == 0)
			state_remove(path);
		fprintf(stderr, "%s: the hand-over of %s was undone\n", prog_name(), card);
	}
	free(st.steps);
	return EXIT_FAIL;
}

int giveback(const struct opts *o, const bool *take)
{
	struct state st;
	char path[256], card[64], id[64];
	int r;

	display_handover_path(&devs, take, path, sizeof(path));
	snprintf(card, sizeof(card), "%s", strrchr(path, '-') + 1);
	if (read_boot_id(id, sizeof(id)) < 0)
		return EXIT_FAIL;
	r = state_load(&st, path);
	if (r < 0)
		return EXIT_FAIL;
	if (r == 0 && o->hook)
		return EXIT_OK;
	if (r == 0) {
		warnx("no hand-over of %s is recorded in '%s': nothing to give back", card,
		      root_show(path));
		return EXIT_FAIL;
	}
	if (strcmp(st.boot_id, id)) {
		warnx("'%s' is from an earlier boot: ignored, nothing given back", root_show(path));
		free(st.steps);
		return EXIT_FAIL;
	}
	if (undo_all(o, &st) > 0) {
		fprintf(stderr, "%s: '%s' kept: the rest of it is still to give back\n", prog_name(),
			root_show(path));
		free(st.steps);
		return EXIT_FAIL;
	}
	free(st.steps);
	if (o->dry_run) {
		printf("rm %s\n", root_show(path));
		return EXIT_OK;
	}
	if (state_remove(path) < 0)
		return EXIT_FAIL;
	report_file(path, REPORT_REMOVED, NULL);
	report_changed();
	printf("%s: given back\n", card);
	return EXIT_OK;
}
