/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/command.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/shquote.h"
#include "base/xalloc.h"
#include "base/banned.h"

extern char **environ;

/* One word of a printed command, quoted as shquote() does; never cut short. */
static void print_word(FILE *f, const char *word)
{
	size_t size = SHQUOTE_SIZE(strlen(word));
	char *buf = xmalloc(size);

	fputs(shquote(word, buf, size), f);
	free(buf);
}

/* The root as a word of a printed command. */
static const char *root_word(void)
{
	static char q[SHQUOTE_SIZE(4096)];
	const char *w = shquote(root_prefix(), q, sizeof(q));

	return w ? w : "DIR";
}

const char *cmd_tool(const char *name)
{
	static char bufs[4][SHQUOTE_SIZE(4096) + 64];
	static unsigned int next;
	char *b = bufs[next++ % 4];

	if (*root_prefix())
		snprintf(b, sizeof(bufs[0]), "%s --root %s", name, root_word());
	else
		snprintf(b, sizeof(bufs[0]), "%s", name);
	return b;
}

const char *cmd_chroot(void)
{
	static char buf[SHQUOTE_SIZE(4096) + 16];

	if (!*root_prefix())
		return "";
	snprintf(buf, sizeof(buf), "chroot %s ", root_word());
	return buf;
}

void cmd_print(FILE *f, const char *lead, char *const argv[])
{
	size_t i;

	fputs(lead, f);
	if (*root_prefix()) {
		fputs("chroot ", f);
		print_word(f, root_prefix());
		fputc(' ', f);
	}
	for (i = 0; argv[i]; i++) {
		if (i)
			fputc(' ', f);
		print_word(f, argv[i]);
	}
	fputc('\n', f);
}

char *cmd_line(char *const argv[])
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		xalloc_die();
	cmd_print(m, "", argv);
	if (fclose(m) != 0)
		xalloc_die();
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

void cmd_report(char *const argv[])
{
	char *buf;

	if (!report_active())
		return;
	buf = cmd_line(argv);
	report_command(buf);
	free(buf);
}

int cmd_run(char *const argv[])
{
	static char chroot_prog[] = "chroot";
	char **av, *root = NULL;
	size_t n = 0, k = 0;
	pid_t pid;
	int status, e, rc = 0;

	while (argv[n])
		n++;
	av = xcalloc(n + 3, sizeof(*av));
	if (*root_prefix())
		root = xstrdup(root_prefix());
	if (root) {
		av[k++] = chroot_prog;
		av[k++] = root;
	}
	memcpy(av + k, argv, n * sizeof(*av));
	fflush(stdout);
	fflush(stderr);
	e = posix_spawnp(&pid, av[0], NULL, NULL, av, environ);
	if (e) {
		errno = e;
		warn("could not run '%s'", av[0]);
		rc = -1;
	} else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		rc = 1;
	}
	free(root);
	free(av);
	return rc;
}
