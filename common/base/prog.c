/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/prog.h"
#include "base/banned.h"

/*
 * A full pipe or disk must not pass for success: flush and close stdout
 * before exit and turn a failure into EXIT_FAIL.
 */
static void close_stdout(void)
{
	int failed = ferror(stdout) != 0;
	int err = 0;

	if (fflush(stdout) != 0) {
		failed = 1;
		err = errno;
	}
	if (fclose(stdout) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	if (!failed)
		return;
	if (err && err != EPIPE)
		fprintf(stderr, "%s: could not write standard output: %s\n",
			prog_name(), strerror(err));
	else if (!err)
		fprintf(stderr, "%s: could not write standard output\n", prog_name());
	_exit(EXIT_FAIL);
}

void prog_init(void)
{
	atexit(close_stdout);
}

const char *prog_name(void)
{
	return program_invocation_short_name;
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog_name());
	exit(EXIT_USAGE);
}

void usage_bad_option(int c, char **argv, const struct option *longopts)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	const struct option *lo, *match = NULL;
	size_t len;
	int matches = 0;
	char opt[128];

	if (arg[0] != '-' || arg[1] != '-') {
		snprintf(opt, sizeof(opt), "-%c", optopt ? optopt : '?');
		if (c == ':')
			usage_error("option '%s' needs an argument", opt);
		usage_error("unrecognized option '%s'", opt);
	}
	len = strcspn(arg + 2, "=");
	snprintf(opt, sizeof(opt), "--%.*s", (int)len, arg + 2);
	for (lo = longopts; lo && lo->name; lo++) {
		if (strncmp(lo->name, arg + 2, len))
			continue;
		if (strlen(lo->name) == len) {
			match = lo;
			matches = 1;
			break;
		}
		match = lo;
		matches++;
	}
	if (c == ':')
		usage_error("option '%s' needs an argument", opt);
	if (matches > 1)
		usage_error("option '%s' is ambiguous", opt);
	if (match && arg[2 + len] == '=' && match->has_arg == no_argument)
		usage_error("option '--%s' takes no argument", match->name);
	usage_error("unrecognized option '%s'", opt);
}

void print_version(void)
{
	printf("%s (vfio-utils) %s\n", prog_name(), VERSION);
	exit(EXIT_OK);
}
