/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the initramfs generators (gen-*.c) share, below them all and below
 * the front (initramfs.c) that walks them: the description of a
 * generator, what the images must load, the record of what was added, the
 * order of drop-ins and the GPU drivers.  Nothing here calls a generator.
 */
#ifndef VFIO_GEN_UTIL_H
#define VFIO_GEN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/editlist.h"
#include "base/strbuf.h"
#include "base/strlist.h"

/* What the images must load, and how. */
struct initramfs_want {
	const char *modules[4];	/* in load order; none: take out what was added */
	size_t nmodules;
	bool drop_in;		/* mkinitcpio: a drop-in, not an edit where MODULES is set */
	const char *no_virqfd;	/* a kernel without vfio_virqfd, to name in warnings; or NULL */
	bool quiet;		/* no warnings, as for --check */
};

/* A command that rebuilds images: argv, NULL-terminated. */
struct initramfs_cmd {
	char *argv[8];
};

struct initramfs_cmds {
	struct initramfs_cmd *v;
	size_t n, alloc;
};

#define INITRAMFS_CMDS_INIT { NULL, 0, 0 }

/* A copy of ARGV (NULL-terminated, seven words at most) at the end of C. */
void gen_cmd_add(struct initramfs_cmds *c, const char *const *argv);
void initramfs_cmds_free(struct initramfs_cmds *c);

/* One generator: where it is, what it reads, what it builds, how to set it up. */
struct generator {
	const char *name;
	const char *programs[5];	/* where its program may be installed; NULL ends */
	const char *config;		/* its main configuration file */
	const char *files[3];		/* the files of its own it reads; NULL ends */
	const char *dirs[3];		/* the directories whose *.conf it reads; NULL ends */
	/* Its images: /boot/PREFIX...SUFFIX, with something between. */
	const char *image_prefix, *image_suffix;
	/*
	 * Add to L the edits that bring its configuration to W.  Returns 0,
	 * or -1 after an error that names the file and what in it cannot be
	 * edited safely (L may hold part of the edits then).
	 */
	int (*plan)(const struct initramfs_want *w, struct edit_list *l);
	/* The commands that rebuild its images for every installed kernel. */
	void (*regen)(struct initramfs_cmds *c);
};

/* The first line of every file that initramfs-vfio writes whole. */
#define INITRAMFS_OWN_HEADER "# Written by initramfs-vfio"

/* Whether MODULE (either spelling) drives a GPU or one of its functions. */
bool gen_gpu_module(const char *module);

/* File names in the order of sort -V, as mkinitcpio and dracut read drop-ins. */
int gen_version_cmp(const char *a, const char *b);
/* The names or paths of L in that order of their last components. */
void gen_version_sort(struct strlist *l);

/*
 * Add to L the edit of the configuration file PATH that EDIT makes (from
 * its text, NULL when there is none, to a new text, NULL when it cannot).
 * A file that was not there and would be empty stays away; one that was
 * there stays, emptied or not.  Returns 0, or -1.
 */
int gen_plan_edit(struct edit_list *l, const char *path, const struct initramfs_want *w,
		  char *(*edit)(const char *old, const struct initramfs_want *w));

/*
 * The record of what was added to KEY, a comment line of its own:
 *	# initramfs-vfio added to KEY: word word ...
 * or, when the whole setting of KEY on the next line was added,
 *	# initramfs-vfio added KEY: word word ...
 * gen_marker_read() fills WORDS (left empty when there is none), sets
 * *CREATED (may be NULL) and returns the offset of its line, or -1.
 * gen_marker_write() returns TEXT with the record of WORDS (removed when
 * there are none), in place of the old one or else inserted at offset AT,
 * which must start a line.
 */
long gen_marker_read(const char *text, const char *key, struct strlist *words, bool *created);
char *gen_marker_write(const char *text, const char *key, const struct strlist *words, size_t at,
		       bool created);

/* LEAD, the words of L with SEP between them, and TRAIL, at the end of SB. */
void gen_join(struct strbuf *sb, const char *lead, const struct strlist *l, const char *sep,
	      const char *trail);

#endif
