/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The initramfs generators (mkinitcpio, dracut, initramfs-tools, booster)
 * and what each must be told so that the VFIO modules, and the
 * configuration vfio-bind wrote, are in the image and load before the
 * GPU drivers.  Each generator's configuration is read as the generator
 * reads it, edited where it takes effect, and what was added is recorded
 * beside it, so that it can be taken out again and nothing else.
 *
 * This front walks the table of generators (one struct generator each,
 * in gen-*.c); they share initramfs/gen-util.h and know nothing of it.
 * Planning changes nothing: it yields the files' new contents, which the
 * caller shows, checks or writes.
 */
#ifndef VFIO_INITRAMFS_H
#define VFIO_INITRAMFS_H

#include <stdbool.h>

#include "base/editlist.h"
#include "initramfs/gen-util.h"

enum initramfs_gen {
	GEN_MKINITCPIO,
	GEN_DRACUT,
	GEN_INITRAMFS_TOOLS,
	GEN_BOOSTER,
	GEN_COUNT
};

/* Generator G's entry in the table. */
const struct generator *initramfs_generator(enum initramfs_gen g);
const char *initramfs_gen_name(enum initramfs_gen g);
/* The generator called NAME, or -1. */
int initramfs_gen_lookup(const char *name);
/* The generator's program under the root, or NULL when it is not installed. */
const char *initramfs_gen_program(enum initramfs_gen g);
/* Its main configuration file under the root, or NULL when there is none. */
const char *initramfs_gen_config(enum initramfs_gen g);

/*
 * Add to L the edits that bring generator G's configuration to W.
 * Returns 0, or -1 after an error that names the file and what in it
 * cannot be edited safely; then L is as it was.
 */
int initramfs_plan(enum initramfs_gen g, const struct initramfs_want *w, struct edit_list *l);

/* Add to C the commands that rebuild G's images for every installed kernel. */
void initramfs_regen_commands(enum initramfs_gen g, struct initramfs_cmds *c);

#endif
