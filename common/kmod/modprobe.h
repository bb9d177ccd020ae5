/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modprobe.d as kmod reads it: *.conf (and *.alias) files from /etc/modprobe.d,
 * /run/modprobe.d, /usr/local/lib/modprobe.d, /usr/lib/modprobe.d and
 * /lib/modprobe.d, a name in an earlier directory masking the same name in
 * a later one, all read in lexical order of their names, names starting
 * with a dot and directories left out; '#' comments,
 * backslash continuation, '-' and '_' alike in module names.
 */
#ifndef VFIO_MODPROBE_H
#define VFIO_MODPROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/modname.h"

struct modprobe_line {
	char *file;		/* as in the target system: /etc/modprobe.d/vfio.conf */
	unsigned int lineno;
	char *cmd;		/* options, softdep, install, blacklist, alias, remove */
	char *module;		/* with '-' turned to '_' */
	char *rest;		/* the rest of the line, white space folded */
};

struct modprobe_conf {
	struct modprobe_line *v;
	size_t n;
	size_t alloc;
};

/* Returns 0, or -1 after printing which file could not be read (out of memory exits). */
int modprobe_conf_load(struct modprobe_conf *c);
void modprobe_conf_free(struct modprobe_conf *c);

/* The first line of command CMD for MODULE, or NULL. */
const struct modprobe_line *modprobe_find(const struct modprobe_conf *c, const char *cmd,
					  const char *module);
/* Whether `softdep MODULE pre: ... PRE ...` is configured. */
bool modprobe_softdep_pre(const struct modprobe_conf *c, const char *module, const char *pre);

#endif
