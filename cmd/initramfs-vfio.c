/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * initramfs-vfio - load vfio-pci from the initramfs, ahead of the GPU
 * drivers, with whichever initramfs generator the system uses
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/command.h"
#include "base/edit.h"
#include "base/editlist.h"
#include "initramfs/initramfs.h"
#include "kmod/kmodules.h"
#include "kmod/modprobe.h"
#include "kmod/vfioids.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "base/banned.h"

enum {
	OPT_ROOT = 0x100,
	OPT_CHECK,
	OPT_REMOVE,
	OPT_DROP_IN,
	OPT_BACKUP,
	OPT_REGEN,
};

static const struct option longopts[] = {
	{ "generator",	required_argument,	NULL, 'g' },
	{ "kernel",	required_argument,	NULL, 'k' },
	{ "drop-in",	no_argument,		NULL, OPT_DROP_IN },
	{ "remove",	no_argument,		NULL, OPT_REMOVE },
	{ "dry-run",	no_argument,		NULL, 'n' },
	{ "check",	no_argument,		NULL, OPT_CHECK },
	{ "backup",	no_argument,		NULL, OPT_BACKUP },
	{ "regen",	no_argument,		NULL, OPT_REGEN },
	{ "json",	no_argument,		NULL, 'J' },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options]\n"
	       "\n"
	       "Load vfio-pci, vfio and vfio_iommu_type1 from the initramfs, ahead of the GPU\n"
	       "drivers, with the generators installed: mkinitcpio, dracut, initramfs-tools,\n"
	       "booster.  Puts vfio-bind's configuration in the image too.\n"
	       "\n"
	       "Options:\n"
	       "  -g, --generator NAME  only NAME: mkinitcpio, dracut, initramfs-tools or booster\n"
	       "                        (may be repeated)\n"
	       "  -k, --kernel VERSION  choose the modules for kernel VERSION only\n"
	       "                        (default: every kernel in /lib/modules)\n"
	       "      --drop-in         mkinitcpio: write /etc/mkinitcpio.conf.d/vfio.conf instead\n"
	       "                        of editing the file that sets MODULES\n"
	       "      --remove          take out what initramfs-vfio added\n"
	       "  -n, --dry-run         show the changes as a unified diff, change nothing\n"
	       "      --check           exit 0 if already set up, 1 if not; change nothing\n"
	       "      --backup          keep FILE.bak of each file replaced\n"
	       "      --regen           then rebuild the initramfs of every kernel\n"
	       "  -J, --json            print what was done as JSON\n"
	       "      --root DIR        work on the system under DIR\n"
	       "  -h, --help            show this help and exit\n"
	       "  -V, --version         show the version and exit\n"
	       "\n"
	       "Exit status: 0 done (or nothing to do), 1 failed, refused or check not met,\n"
	       "2 usage error.\n",
	       prog_name());
	exit(EXIT_OK);
}

struct opts {
	bool gens[GEN_COUNT], any_gen;
	const char *kernel, *root;
	bool drop_in, remove, dry_run, check, backup, regen, json;
};

static bool valid_release(const char *s)
{
	if (!isdigit((unsigned char)*s) || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._+-~", *s))
			return false;
	return true;
}

/* Which generators to set up: those asked for, else those installed. */
static bool choose(struct opts *o)
{
	bool found = false;
	int g;

	if (o->any_gen)
		return true;
	for (g = 0; g < GEN_COUNT; g++)
		found |= o->gens[g] = o->remove || initramfs_gen_program(g);
	if (found)
		return true;
	/* No program: a tree copied without /usr, or a generator removed but configured. */
	for (g = 0; g < GEN_COUNT; g++)
		found |= o->gens[g] = initramfs_gen_config(g) != NULL;
	if (found) {
		if (!o->check)
			for (g = 0; g < GEN_COUNT; g++)
				if (o->gens[g])
					report_warn("%s is not installed in '%s', but '%s' is there: setting it up",
						    initramfs_gen_name(g), root_show("/"),
						    root_show(initramfs_gen_config(g)));
		return true;
	}
	warnx("no initramfs generator in '%s' (mkinitcpio, dracut, initramfs-tools, booster); "
	      "name one with --generator", root_show("/"));
	return false;
}

/* The ids= that modprobe.d gives vfio-pci (vfio_ids_modprobe()), for the kernel parameter. */
static void modprobe_ids(char *buf, size_t size)
{
	const struct modprobe_line *line;
	struct modprobe_conf mc;
	char *ids;

	buf[0] = '\0';
	if (modprobe_conf_load(&mc) < 0)
		return;
	if ((ids = vfio_ids_modprobe(&mc, &line)))
		snprintf(buf, size, "%s", ids);
	free(ids);
	modprobe_conf_free(&mc);
}

static void builtin_hint(FILE *f)
{
	char ids[1024];

	modprobe_ids(ids, sizeof(ids));
	fprintf(f, "Give vfio-pci its devices on the kernel command line instead:\n"
		"  kcmdline-edit --add vfio-pci.ids=%s\n", ids[0] ? ids : "VENDOR:DEVICE,...");
	if (!ids[0])
		fprintf(f, "(iommu-groups shows the IDs of the device's functions)\n");
}

/*
 * The modules the images must load, from the kernels: vfio_virqfd only
 * where every kernel has it as a module (Linux 6.2 made it part of vfio).
 * Returns how many kernels have vfio-pci built in; *none: all of them
 * (nothing to load).
 */
static int choose_modules(const struct opts *o, struct initramfs_want *w, char *no_virqfd,
			  size_t size, bool *none)
{
	char **kernels = NULL;
	int n, i, modular = 0, virqfd = 0;

	w->modules[0] = "vfio_pci";
	w->modules[1] = "vfio";
	w->modules[2] = "vfio_iommu_type1";
	w->nmodules = 3;
	if (o->kernel) {
		kernels = xmalloc(sizeof(*kernels));
		kernels[0] = xstrdup(o->kernel);
		n = 1;
	} else {
		n = kernels_installed(&kernels);
	}
	if (n == 0 && !o->check)
		report_warn("no kernel in '%s': assuming Linux 6.2 or later; --kernel names one",
			    root_show("/lib/modules"));
	for (i = 0; i < n; i++) {
		int has;

		if (module_builtin(kernels[i], "vfio_pci") == 1) {
			if (!o->check)
				fprintf(o->dry_run ? stderr : stdout,
					"vfio_pci is built into kernel %s: nothing to load for it\n", kernels[i]);
			continue;
		}
		modular++;
		has = module_loadable(kernels[i], "vfio_virqfd");
		if (has < 0) {
			int v = kernel_version(kernels[i]);

			has = v >= 0 && v < 6002;
		}
		if (has)
			virqfd++;
		else if (!*no_virqfd)
			snprintf(no_virqfd, size, "%s", kernels[i]);
	}
	kernels_free(kernels, n);
	*none = n > 0 && modular == 0;
	if (modular && virqfd == modular)
		w->modules[w->nmodules++] = "vfio_virqfd";
	if (*no_virqfd)
		w->no_virqfd = no_virqfd;
	return n - modular;
}

static void print_cmd(const char *lead, const struct initramfs_cmd *c)
{
	cmd_print(stdout, lead, c->argv);
}

static int run(const struct initramfs_cmd *c)
{
	int r;

	print_cmd("Running: ", c);
	r = cmd_run(c->argv);
	if (r > 0)
		warnx("'%s' failed", c->argv[0]);
	/* Still to run. */
	if (r)
		cmd_report(c->argv);
	return r ? -1 : 0;
}

/*
 * The rebuild commands of the generators set up (TOUCHED: changed now),
 * printed, or run with --regen.
 */
static int regen(const struct opts *o, const bool *touched, bool changed)
{
	int g, ret = EXIT_OK;

	if (!o->regen)
		printf(changed ? "Next: rebuild the initramfs images, then reboot:\n"
			       : "If /etc/modprobe.d changed since the images were built, rebuild them:\n");
	if (changed)
		report_reboot();
	for (g = 0; g < GEN_COUNT; g++) {
		struct initramfs_cmds cmds = INITRAMFS_CMDS_INIT;
		size_t i;

		if (!o->gens[g] || (o->remove && !touched[g] && !initramfs_gen_program(g)))
			continue;
		initramfs_regen_commands(g, &cmds);
		for (i = 0; i < cmds.n; i++) {
			if (o->regen) {
				if (run(&cmds.v[i]) < 0)
					ret = EXIT_FAIL;
				continue;
			}
			print_cmd("  ", &cmds.v[i]);
			/* Only when something changed: the others are a maybe. */
			if (changed)
				cmd_report(cmds.v[i].argv);
		}
		initramfs_cmds_free(&cmds);
	}
	return ret;
}

/*
 * Write the plan as one change: new files first, then the files that
 * change, then the removals, so that a run killed half way leaves VFIO
 * loaded twice rather than not at all.
 */
static int apply(const struct opts *o, const struct edit_list *p, enum edit_mode mode)
{
	struct edit_opts eo = { mode, o->backup };
	struct edit_file *f = xcalloc(p->n ? p->n : 1, sizeof(*f));
	size_t i, nf = 0;
	int pass, ret;

	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < p->n; i++) {
			const struct edit_file *e = &p->v[i];

			if (pass == (!e->old ? 0 : e->new ? 1 : 2))
				f[nf++] = *e;
		}
	ret = edit_apply_all(&eo, f, nf);
	if (ret < 0 && mode == EDIT_WRITE)
		fprintf(stderr, "%s: nothing changed\n", prog_name());
	free(f);
	return ret;
}

static void parse_options(int argc, char **argv, struct opts *o)
{
	int c, g;

	while ((c = getopt_long(argc, argv, ":g:k:nJhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			g = initramfs_gen_lookup(optarg);
			if (g < 0)
				usage_error("unknown generator '%s': expected mkinitcpio, dracut, "
					    "initramfs-tools or booster", optarg);
			o->gens[g] = o->any_gen = true;
			break;
		case 'k':
			if (!valid_release(optarg))
				usage_error("invalid kernel version '%s'", optarg);
			o->kernel = optarg;
			break;
		case OPT_DROP_IN:
			o->drop_in = true;
			break;
		case OPT_REMOVE:
			o->remove = true;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case OPT_CHECK:
			o->check = true;
			break;
		case OPT_BACKUP:
			o->backup = true;
			break;
		case OPT_REGEN:
			o->regen = true;
			break;
		case 'J':
			o->json = true;
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_bad_option(c, argv, longopts);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (o->dry_run && o->check)
		usage_error("--dry-run and --check do not go together");
	if (o->regen && (o->dry_run || o->check))
		usage_error("--regen does not go with --dry-run or --check");
	if (o->drop_in && o->remove)
		usage_error("--drop-in does not go with --remove, which takes out everything added");
	if (o->drop_in && o->any_gen && !o->gens[GEN_MKINITCPIO])
		usage_error("--drop-in is for mkinitcpio");
}

/*
 * The edits of every generator chosen, into PLAN; DONE[G]: where G's end.
 * Returns 0, or -1 when one of them cannot be edited safely.
 */
static int plan_all(const struct opts *o, const struct initramfs_want *w,
		    struct edit_list *plan, size_t *done)
{
	bool failed = false;
	int g;

	for (g = 0; g < GEN_COUNT; g++) {
		if (o->gens[g] && initramfs_plan(g, w, plan) < 0)
			failed = true;
		done[g] = plan->n;
	}
	if (failed && !o->check)
		fprintf(stderr, "%s: nothing changed\n", prog_name());
	return failed ? -1 : 0;
}

static void show(const struct edit_list *plan)
{
	struct edit_opts eo = { EDIT_DRY_RUN, false };
	size_t i;

	for (i = 0; i < plan->n; i++)
		edit_apply(&eo, plan->v[i].path, plan->v[i].old, plan->v[i].oldlen,
			   plan->v[i].new, plan->v[i].newlen, plan->v[i].newmode);
}

/* Write PLAN, say what changed for each generator, then rebuild or say how. */
static int write_plan(const struct opts *o, const struct edit_list *plan, const size_t *done)
{
	bool touched[GEN_COUNT] = { false };
	size_t i = 0;
	int g;

	if (apply(o, plan, EDIT_WRITE) < 0)
		return EXIT_FAIL;
	for (g = 0; g < GEN_COUNT; g++) {
		if (!o->gens[g])
			continue;
		touched[g] = i < done[g];
		for (; i < done[g]; i++)
			printf("%s: %s '%s'\n", initramfs_gen_name(g),
			       !plan->v[i].new ? "removed" : !plan->v[i].old ? "created" : "updated",
			       root_show(plan->v[i].path));
		if (!touched[g] && !o->remove)
			printf("%s: already loads VFIO early; nothing changed\n", initramfs_gen_name(g));
	}
	if (o->remove && !plan->n) {
		printf("nothing of initramfs-vfio's to take out\n");
		return EXIT_OK;
	}
	return regen(o, touched, plan->n > 0);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct initramfs_want w = { { NULL }, 0, false, NULL, false };
	struct edit_list plan = EDIT_LIST_INIT;
	size_t done[GEN_COUNT] = { 0 };
	char no_virqfd[128] = "";
	bool none = false;
	int ret = EXIT_OK;

	prog_init();
	parse_options(argc, argv, &o);
	report_init(o.json, o.root, o.check ? REPORT_CHECK : o.dry_run ? REPORT_DRY_RUN :
		    REPORT_WRITE);
	if (root_init(o.root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", o.root);
	if (o.regen && *root_prefix())
		usage_error("--regen cannot rebuild the images of another root; "
			    "run the commands it prints inside it");
	if (!o.dry_run && !o.check && edit_lock(NULL) < 0)
		return EXIT_FAIL;
	if (!choose(&o))
		return EXIT_FAIL;
	if (!o.remove && choose_modules(&o, &w, no_virqfd, sizeof(no_virqfd), &none) > 0 &&
	    !o.check)
		builtin_hint(o.dry_run ? stderr : stdout);
	if (none)
		return EXIT_OK;
	w.drop_in = o.drop_in;
	w.quiet = o.check;
	if (o.remove)
		w.nmodules = 0;
	if (plan_all(&o, &w, &plan, done) < 0)
		ret = EXIT_FAIL;
	else if (o.check)
		ret = apply(&o, &plan, EDIT_CHECK) ? EXIT_FAIL : EXIT_OK;
	else if (o.dry_run)
		show(&plan);
	else
		ret = write_plan(&o, &plan, done);
	edit_list_free(&plan);
	return ret;
}
