#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "command.h"
#include "prog.h"
#include "root.h"

extern char **environ;

char *cmd_quote(const char *word, char *buf, size_t size)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789_@%+=:,./-";
	size_t n = 0;
	const char *p;

	if (!size)
		return buf;
	if (*word && strspn(word, safe) == strlen(word)) {
		snprintf(buf, size, "%s", word);
		return buf;
	}
#define PUT(c) do { if (n + 1 < size) buf[n++] = (c); } while (0)
	PUT('\'');
	for (p = word; *p; p++) {
		if (*p == '\'') {
			PUT('\'');
			PUT('\\');
			PUT('\'');
		}
		PUT(*p);
	}
	PUT('\'');
#undef PUT
	buf[n] = '\0';
	return buf;
}

void cmd_print(FILE *f, const char *lead, char *const argv[])
{
	char buf[4200];
	size_t i;

	fputs(lead, f);
	if (*root_prefix())
		fprintf(f, "chroot %s ", cmd_quote(root_prefix(), buf, sizeof(buf)));
	for (i = 0; argv[i]; i++)
		fprintf(f, "%s%s", i ? " " : "", cmd_quote(argv[i], buf, sizeof(buf)));
	fputc('\n', f);
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
	av = calloc(n + 3, sizeof(*av));
	if (!av || (*root_prefix() && !(root = strdup(root_prefix()))))
		err(EXIT_FAIL, "could not allocate memory");
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
