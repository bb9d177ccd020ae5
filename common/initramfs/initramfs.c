/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include <sys/stat.h>

#include "initramfs/initramfs.h"
#include "initramfs/gen-booster.h"
#include "initramfs/gen-dracut.h"
#include "initramfs/gen-initramfs-tools.h"
#include "initramfs/gen-mkinitcpio.h"
#include "base/root.h"
#include "base/banned.h"

static const struct generator *const gens[GEN_COUNT] = {
	[GEN_MKINITCPIO] = &gen_mkinitcpio,
	[GEN_DRACUT] = &gen_dracut,
	[GEN_INITRAMFS_TOOLS] = &gen_initramfs_tools,
	[GEN_BOOSTER] = &gen_booster,
};

const struct generator *initramfs_generator(enum initramfs_gen g)
{
	return gens[g];
}

const char *initramfs_gen_name(enum initramfs_gen g)
{
	return gens[g]->name;
}

int initramfs_gen_lookup(const char *name)
{
	int g;

	for (g = 0; g < GEN_COUNT; g++)
		if (!strcmp(name, gens[g]->name))
			return g;
	return -1;
}

static bool regular(const char *path, bool exec)
{
	struct stat st;

	return root_stat(path, &st) == 0 && S_ISREG(st.st_mode) && (!exec || (st.st_mode & 0111));
}

const char *initramfs_gen_program(enum initramfs_gen g)
{
	const char *const *p;

	for (p = gens[g]->programs; *p; p++)
		if (regular(*p, true))
			return *p;
	return NULL;
}

const char *initramfs_gen_config(enum initramfs_gen g)
{
	return regular(gens[g]->config, false) ? gens[g]->config : NULL;
}

int initramfs_plan(enum initramfs_gen g, const struct initramfs_want *w, struct edit_list *l)
{
	size_t before = l->n;

	if (gens[g]->plan(w, l) < 0) {
		edit_list_truncate(l, before);
		return -1;
	}
	return 0;
}

void initramfs_regen_commands(enum initramfs_gen g, struct initramfs_cmds *c)
{
	gens[g]->regen(c);
}
