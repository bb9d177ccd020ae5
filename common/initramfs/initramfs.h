/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The initramfs generators (mkinitcpio, dracut, initramfs-tools, booster)
 * and what each must be told so that the VFIO modules, and the
 * configuration vfio-bind wrote, are in the image and load before the
 * GPU drivers.  Each generator's configuration is read as the generator
 * reads it, edited where it takes effect, and what was added is recorded
 * beside it, so that it can be taken out again and nothing else.
 *
 * Planning changes nothing: it yields the files' new contents, which the
 * caller shows, checks or writes.
 */
#ifndef VFIO_INITRAMFS_H
#define VFIO_INITRAMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/configfile.h"
#include "base/strlist.h"

enum initramfs_gen {
	GEN_MKINITCPIO,
	GEN_DRACUT,
	GEN_INITRAMFS_TOOLS,
	GEN_BOOSTER,
	GEN_COUNT
};

const char *initramfs_gen_name(enum initramfs_gen g);
/* The generator called NAME, or -1. */
int initramfs_gen_lookup(const char *name);
/* The generator's program under the root, or NULL when it is not installed. */
const char *initramfs_gen_program(enum initramfs_gen g);
/* Its main configuration file under the root, or NULL when there is none. */
const char *initramfs_gen_config(enum initramfs_gen g);

/* What the images must load, and how. */
struct initramfs_want {
	const char *modules[4];	/* in load order; none: take out what was added */
	size_t nmodules;
	bool drop_in;		/* mkinitcpio: a drop-in, not an edit where MODULES is set */
	const char *no_virqfd;	/* a kernel without vfio_virqfd, to name in warnings; or NULL */
	bool quiet;		/* no warnings, as for --check */
};

/* One file's change: OLD NULL for a new file, NEW NULL to remove it. */
struct initramfs_edit {
	char path[512];
	char *old, *new;
	size_t oldlen, newlen;
	mode_t mode;
};

struct initramfs_plan {
	struct initramfs_edit *v;
	size_t n;
};

/*
 * Add to P the edits that bring generator G's configuration to W.
 * Returns 0, or -1 after an error that names the file and what in it
 * cannot be edited safely; then P is as it was.
 */
int initramfs_plan(enum initramfs_gen g, const struct initramfs_want *w, struct initramfs_plan *p);
void initramfs_plan_free(struct initramfs_plan *p);

/* A command that rebuilds images: argv, NULL-terminated. */
struct initramfs_cmd {
	char *argv[8];
};

/*
 * The commands that rebuild G's images for every installed kernel.
 * Returns how many (caller frees with initramfs_cmds_free), -1 out of memory.
 */
int initramfs_regen_commands(enum initramfs_gen g, struct initramfs_cmd **cmds);
void initramfs_cmds_free(struct initramfs_cmd *cmds, int n);

/* Whether MODULE (either spelling) drives a GPU or one of its functions. */
bool gpu_module(const char *module);

/*
 * For the generators' planners (gen-mkinitcpio.c, gen-dracut.c,
 * gen-initramfs-tools.c, gen-booster.c).
 */


/* File names in the order of sort -V, as mkinitcpio and dracut read drop-ins. */
int version_sort_cmp(const char *a, const char *b);

/* MODULE with '-' as '_' and mkinitcpio's optional '?' dropped, into BUF. */
const char *modname(const char *module, char *buf, size_t size);

/*
 * Take ownership of NEW (and a copy of OLD) as the edit of PATH, unless
 * they are the same.  Returns 0, -1 out of memory.
 */
int plan_add(struct initramfs_plan *p, const char *path, const char *old, size_t oldlen,
	     char *new, mode_t mode);

/*
 * Add to P the edit of the configuration file PATH that EDIT makes (from
 * its text, NULL when there is none, to a new text, NULL when it cannot).
 * A file that was not there and would be empty stays away; one that was
 * there stays, emptied or not.  Returns 0, or -1.
 */
int plan_edit(struct initramfs_plan *p, const char *path, const struct initramfs_want *w,
	      char *(*edit)(const char *old, const struct initramfs_want *w));

/*
 * The record of what was added to KEY, a comment line of its own:
 *	# initramfs-vfio added to KEY: word word ...
 * or, when the whole setting of KEY on the next line was added,
 *	# initramfs-vfio added KEY: word word ...
 * marker_read() fills WORDS (left empty when there is none), sets
 * *CREATED (may be NULL) and returns the offset of its line, or -1.
 * marker_write() returns TEXT with the record of WORDS (removed when there
 * are none), in place of the old one or else inserted at offset AT, which
 * must start a line.
 */
long marker_read(const char *text, const char *key, struct strlist *words, bool *created);
char *marker_write(const char *text, const char *key, const struct strlist *words, size_t at,
		   bool created);

/* The first line of every file that initramfs-vfio writes whole. */
#define INITRAMFS_OWN_HEADER "# Written by initramfs-vfio"

int mkinitcpio_plan(const struct initramfs_want *w, struct initramfs_plan *p);
int dracut_plan(const struct initramfs_want *w, struct initramfs_plan *p);
int initramfs_tools_plan(const struct initramfs_want *w, struct initramfs_plan *p);
int booster_plan(const struct initramfs_want *w, struct initramfs_plan *p);

#endif
