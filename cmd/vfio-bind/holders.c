/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vfio-bind: the processes holding the functions' device nodes, and --stop-holders. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "pci/holders.h"
#include "vfio-bind.h"
#include "base/banned.h"

/* How long a holder has after SIGTERM, and after SIGKILL, to end. */
#define TERM_SECONDS	5
#define KILL_SECONDS	5

/* One process to stop: the first of its items, and a pidfd on it or -1. */
struct target {
	const struct holder *it;
	int pidfd;
	bool gone;
};

static void list_holders(const struct holders *h, const char *how)
{
	char text[256];
	size_t i;

	for (i = 0; i < h->n; i++) {
		holder_describe(&h->v[i], text, sizeof(text));
		report_warn("%s is %s by the host: %s", h->v[i].dev, how, text);
	}
}

/* Whether the process of IT has ended: gone, a zombie, or its PID taken by another. */
static bool ended(const struct holder *it)
{
	unsigned long long start;
	bool zombie;

	if (holder_proc_start(it->pid, &start, &zombie) < 0)
		return errno == ENOENT || errno == ESRCH;
	return zombie || start != it->start;
}

/*
 * SIG to T's process, through a pidfd where the kernel has them (5.3),
 * so that a PID taken by a new process after the check is not signalled.
 */
static void send(struct target *t, int sig)
{
	long r;

	if (t->gone)
		return;
	if (t->pidfd >= 0) {
		r = syscall(SYS_pidfd_send_signal, t->pidfd, sig, NULL, 0);
	} else if (ended(t->it)) {
		t->gone = true;
		return;
	} else {
		r = kill(t->it->pid, sig);
	}
	if (r < 0 && errno == ESRCH)
		t->gone = true;
	else if (r < 0)
		warn("could not signal PID %ld (%s)", (long)t->it->pid, t->it->comm);
}

/* Wait up to SECONDS for every target to end; how many are left. */
static size_t wait_ended(struct target *t, size_t n, int seconds)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	size_t i, left = n;
	int k;

	for (k = 0; k <= seconds * 20; k++) {
		left = 0;
		for (i = 0; i < n; i++) {
			if (!t[i].gone && ended(t[i].it))
				t[i].gone = true;
			left += !t[i].gone;
		}
		if (!left)
			break;
		nanosleep(&tick, NULL);
	}
	return left;
}

/* The distinct processes of H, each with its first item. */
static size_t targets(const struct holders *h, struct target *t)
{
	size_t i, j, n = 0;

	for (i = 0; i < h->n; i++) {
		for (j = 0; j < n && t[j].it->pid != h->v[i].pid; j++)
			;
		if (j == n) {
			t[n].it = &h->v[i];
			t[n].pidfd = -1;
			t[n++].gone = false;
		}
	}
	return n;
}

static int stop(const struct holders *h)
{
	struct target *t = xcalloc(h->n, sizeof(*t));
	char text[256];
	size_t n = targets(h, t), i, left;

	for (i = 0; i < n; i++) {
		/* PID 1 going takes the host with it */
		if (t[i].it->pid == 1) {
			holder_describe(t[i].it, text, sizeof(text));
			warnx("%s is in use by the host: %s; PID 1 is not stopped", t[i].it->dev, text);
			fprintf(stderr, "%s: nothing changed\n", prog_name());
			free(t);
			return EXIT_FAIL;
		}
	}
	for (i = 0; i < n; i++) {
		holder_describe(t[i].it, text, sizeof(text));
		printf("%s: %s: stopping it\n", t[i].it->dev, text);
		t[i].pidfd = (int)syscall(SYS_pidfd_open, t[i].it->pid, 0);
		/* opened, it is still the process the scan found, or it ended */
		if (t[i].pidfd < 0 ? errno == ESRCH : ended(t[i].it))
			t[i].gone = true;
		send(&t[i], SIGTERM);
	}
	fflush(stdout);
	if (wait_ended(t, n, TERM_SECONDS)) {
		for (i = 0; i < n; i++) {
			if (t[i].gone)
				continue;
			printf("PID %ld (%s) did not end in %d seconds: SIGKILL\n", (long)t[i].it->pid,
			       t[i].it->comm, TERM_SECONDS);
			send(&t[i], SIGKILL);
		}
		fflush(stdout);
		left = wait_ended(t, n, KILL_SECONDS);
		for (i = 0; left && i < n; i++)
			if (!t[i].gone)
				warnx("PID %ld (%s) did not end after SIGKILL", (long)t[i].it->pid,
				      t[i].it->comm);
	}
	for (i = 0; i < n; i++)
		if (t[i].pidfd >= 0)
			close(t[i].pidfd);
	free(t);
	return EXIT_OK;
}

size_t name_holders(const bool *take)
{
	struct holders h;
	size_t n;

	holders_scan(&h, &devs, take);
	list_holders(&h, "in use");
	n = h.n;
	holders_free(&h);
	return n;
}

int check_holders(const struct opts *o, const bool *take)
{
	struct holders h;
	bool dm = false;
	size_t i;
	int ret = EXIT_OK;

	holders_scan(&h, &devs, take);
	if (h.unreadable)
		report_warn("%zu process%s could not be read: %s hold the device nodes of the functions",
			    h.unreadable, h.unreadable == 1 ? "" : "es", h.unreadable == 1 ? "it may" : "they may");
	for (i = 0; i < h.n; i++)
		dm |= h.v[i].dm[0] || h.v[i].dm_by_name;
	if (!h.n) {
		holders_free(&h);
		return EXIT_OK;
	}
	if (!o->stop_holders) {
		list_holders(&h, "in use");
		if (dm)
			fprintf(stderr, "%s: systemd may start a display manager again: "
				"'systemctl stop display-manager' stops it for good\n", prog_name());
		fprintf(stderr, "%s: nothing changed; --stop-holders ends those processes\n",
			prog_name());
		ret = EXIT_FAIL;
	} else if (*root_prefix()) {
		list_holders(&h, "in use");
		warnx("--stop-holders signals no process under --root '%s': they are not this system's",
		      root_prefix());
		fprintf(stderr, "%s: nothing changed\n", prog_name());
		ret = EXIT_FAIL;
	} else if (o->dry_run) {
		char text[256];

		for (i = 0; i < h.n; i++) {
			holder_describe(&h.v[i], text, sizeof(text));
			printf("# %s: %s: SIGTERM, SIGKILL after %d seconds\n", h.v[i].dev, text,
			       TERM_SECONDS);
		}
	} else if ((ret = stop(&h)) == EXIT_OK) {
		holders_free(&h);
		holders_scan(&h, &devs, take);
		if (h.n) {
			list_holders(&h, "still in use");
			fprintf(stderr, "%s: nothing changed\n", prog_name());
			ret = EXIT_FAIL;
		}
	}
	holders_free(&h);
	return ret;
}
