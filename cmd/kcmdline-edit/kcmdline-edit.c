/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kcmdline-edit - add and remove kernel parameters in the boot loaders'
 * configuration: /etc/default/grub, BLS entries, /etc/kernel/cmdline,
 * refind_linux.conf
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/command.h"
#include "base/configfile.h"
#include "base/edit.h"
#include "base/output.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "boot/boot.h"
#include "boot/bootfile.h"
#include "boot/iommuparam.h"
#include "boot/kcmdline.h"
#include "kmod/vfioids.h"
#include "pci/hostiommu.h"
#include "kcmdline-edit.h"
#include "base/banned.h"

enum {
	OPT_ROOT = 0x100,
	OPT_CHECK,
	OPT_IOMMU,
	OPT_BACKUP,
	OPT_REGEN,
	OPT_GRUB,
	OPT_GRUB_VAR,
	OPT_BLS,
	OPT_ENTRY,
	OPT_KERNEL_CMDLINE,
	OPT_REFIND,
	OPT_CPU,
};

static const struct option longopts[] = {
	{ "add",		required_argument,	NULL, 'a' },
	{ "remove",		required_argument,	NULL, 'd' },
	{ "iommu",		no_argument,		NULL, OPT_IOMMU },
	{ "cpu",		required_argument,	NULL, OPT_CPU },
	{ "list",		no_argument,		NULL, 'l' },
	{ "json",		no_argument,		NULL, 'J' },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "backup",		no_argument,		NULL, OPT_BACKUP },
	{ "regen",		no_argument,		NULL, OPT_REGEN },
	{ "grub",		optional_argument,	NULL, OPT_GRUB },
	{ "grub-var",		required_argument,	NULL, OPT_GRUB_VAR },
	{ "bls",		optional_argument,	NULL, OPT_BLS },
	{ "entry",		required_argument,	NULL, OPT_ENTRY },
	{ "kernel-cmdline",	optional_argument,	NULL, OPT_KERNEL_CMDLINE },
	{ "refind",		optional_argument,	NULL, OPT_REFIND },
	{ "root",		required_argument,	NULL, OPT_ROOT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static struct boot_file *targets;
static size_t ntargets, targets_alloc;
static struct kparam_op *req;
static size_t nreq, req_alloc;
static const char **entries;
static enum grub_var grub_var = GRUB_LINUX;

static void add_target(enum boot_kind kind, const char *path)
{
	XGROW(targets, ntargets + 1, targets_alloc);
	boot_file_init(&targets[ntargets++], kind, path);
}

static void free_targets(void)
{
	size_t i;

	for (i = 0; i < ntargets; i++)
		boot_file_free(&targets[i]);
	free(targets);
}

static void list(bool json)
{
	struct out o;
	size_t i;

	out_init(&o, stdout, json);
	out_object_begin(&o, NULL);
	out_array_begin(&o, "cmdlines");
	for (i = 0; i < ntargets; i++)
		boot_file_list(&o, &targets[i]);
	out_array_end(&o);
	out_object_end(&o);
	out_finish(&o);
}

/* Free what main() built and return RC. */
static int finish(int rc)
{
	size_t i;

	for (i = 0; i < nreq; i++)
		kparam_op_free(&req[i]);
	free(req);
	free(entries);
	free_targets();
	return rc;
}

/* The options, as parsed. */
static const char *root, *grub, *bls, *kcl, *refind;
static size_t nentries, entries_alloc;
static bool want_grub, want_bls, want_kcl, want_refind;
static bool iommu, do_list, json, check, dry, backup, do_regen;
static enum host_cpu cpu = HOST_CPU_OTHER;

static void parse_options(int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, ":a:d:lJnhV", longopts, NULL)) != -1) {
		const char *why;

		switch (c) {
		case 'a':
		case 'd':
			XGROW(req, nreq + 1, req_alloc);
			if (kparam_op_parse(&req[nreq], c == 'a' ? KPARAM_ADD : KPARAM_REMOVE, optarg, &why) < 0)
				usage_error("invalid parameter '%s': %s", optarg, why);
			nreq++;
			break;
		case OPT_IOMMU:
			iommu = true;
			break;
		case OPT_CPU:
			if (!strcmp(optarg, "intel"))
				cpu = HOST_CPU_INTEL;
			else if (!strcmp(optarg, "amd"))
				cpu = HOST_CPU_AMD;
			else
				usage_error("invalid --cpu '%s': expected intel or amd", optarg);
			break;
		case 'l':
			do_list = true;
			break;
		case 'J':
			json = true;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case 'n':
			dry = true;
			break;
		case OPT_BACKUP:
			backup = true;
			break;
		case OPT_REGEN:
			do_regen = true;
			break;
		case OPT_GRUB:
			want_grub = true;
			grub = optarg;
			break;
		case OPT_GRUB_VAR:
			if (!strcmp(optarg, "linux") || !strcmp(optarg, "GRUB_CMDLINE_LINUX"))
				grub_var = GRUB_LINUX;
			else if (!strcmp(optarg, "default") || !strcmp(optarg, "GRUB_CMDLINE_LINUX_DEFAULT"))
				grub_var = GRUB_LINUX_DEFAULT;
			else
				usage_error("invalid --grub-var '%s': expected linux or default", optarg);
			break;
		case OPT_BLS:
			want_bls = true;
			bls = optarg;
			break;
		case OPT_ENTRY:
			want_bls = true;
			XGROW(entries, nentries + 1, entries_alloc);
			entries[nentries++] = optarg;
			break;
		case OPT_KERNEL_CMDLINE:
			want_kcl = true;
			kcl = optarg;
			break;
		case OPT_REFIND:
			want_refind = true;
			refind = optarg;
			break;
		case OPT_ROOT:
			root = optarg;
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
	if (do_list && (nreq || iommu))
		usage_error("--list does not go with --add, --remove or --iommu");
	if (!do_list && !nreq && !iommu)
		usage_error("nothing to do: give --add, --remove, --iommu or --list");
	if (cpu != HOST_CPU_OTHER && !iommu)
		usage_error("--cpu goes with --iommu");
	if (dry && check)
		usage_error("--dry-run and --check do not go together");
	if (do_regen && (dry || check || do_list))
		usage_error("--regen does not go with --dry-run, --check or --list");
	/*
	 * The regeneration commands act on the running system; for another
	 * root they belong in a chroot with /dev, /proc and /sys, which is
	 * the user's to set up.
	 */
	if (do_regen && root)
		usage_error("--regen runs the commands of the running system; with --root, run "
			    "them inside that system (chroot)");
	report_init(json && !do_list, root, check ? REPORT_CHECK : dry ? REPORT_DRY_RUN :
		    REPORT_WRITE);
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	if (!do_list && !check && !dry && edit_lock(NULL) < 0)
		exit(EXIT_FAIL);
}

/* What --iommu adds for the CPU; then the requests must not contradict each other. */
static void requests(void)
{
	size_t i, a, b;

	if (iommu) {
		struct host_iommu h = { 0 };
		const char *const *add;
		const char *why;

		if (cpu != HOST_CPU_OTHER)
			h.cpu = cpu;
		else
			read_cpu(&h);
		add = iommu_params_on(h.cpu == HOST_CPU_INTEL ? IOMMU_VENDOR_INTEL :
				      h.cpu == HOST_CPU_AMD ? IOMMU_VENDOR_AMD : IOMMU_VENDOR_OTHER);
		if (!add)
			errx(EXIT_FAIL, "the CPU in '%s' is neither GenuineIntel nor AuthenticAMD: "
			     "name the parameters with --add", root_show("/proc/cpuinfo"));
		for (i = 0; add[i]; i++) {
			XGROW(req, nreq + 1, req_alloc);
			if (kparam_op_parse(&req[nreq], KPARAM_ADD, add[i], &why) < 0)
				xalloc_die();
			nreq++;
		}
	}
	if (kparam_ops_conflict(req, nreq, &a, &b))
		usage_error("'%s %s' and '%s %s' contradict each other",
			    req[a].action == KPARAM_ADD ? "--add" : "--remove", req[a].text,
			    req[b].action == KPARAM_ADD ? "--add" : "--remove", req[b].text);
	for (i = 0; i < nreq; i++)
		if (req[i].action == KPARAM_ADD)
			vfio_ids_warn_kept(req[i].key, req[i].val);
}

/* The files to edit: those named, or every one found. */
static void find_targets(void)
{
	size_t i;
	bool bls_any = false;

	if (!want_grub && !want_bls && !want_kcl && !want_refind) {
		int found = boot_loaders_find();

		want_grub = found & 1 << BOOT_GRUB;
		want_bls = found & 1 << BOOT_BLS;
		want_kcl = found & 1 << BOOT_KERNEL_CMDLINE;
		want_refind = found & 1 << BOOT_REFIND;
		if (!want_grub && !want_bls && !want_kcl && !want_refind)
			errx(EXIT_FAIL, "no boot configuration in '%s': no %s, no loader/entries in "
			     "/boot, /efi or /boot/efi, no %s, no %s; name the file with --grub=FILE, "
			     "--bls=DIR, --kernel-cmdline=FILE or --refind=FILE",
			     *root_prefix() ? root_prefix() : "/", GRUB_DEFAULT_FILE,
			     KERNEL_CMDLINE_FILE, REFIND_LINUX_CONF);
	}
	if (want_grub)
		add_target(BOOT_GRUB, grub ? grub : GRUB_DEFAULT_FILE);
	if (want_bls) {
		struct boot_paths e;
		size_t k;

		if (bls_entries_find(bls, &e) < 0)
			err(EXIT_FAIL, "could not read '%s'", root_show(bls));
		for (i = 0; i < e.n; i++) {
			bool take = !nentries;

			for (k = 0; k < nentries; k++)
				take |= bls_entry_named(e.path[i], entries[k]);
			if (take)
				add_target(BOOT_BLS, e.path[i]);
			bls_any |= take;
		}
		boot_paths_free(&e);
		if (!bls_any) {
			if (nentries)
				errx(EXIT_FAIL, "no boot entry '%s' in %s", entries[0],
				     bls ? root_show(bls) : "loader/entries under /boot, /efi or /boot/efi");
			errx(EXIT_FAIL, "no boot entries (*.conf) in %s",
			     bls ? root_show(bls) : "loader/entries under /boot, /efi or /boot/efi");
		}
	}
	if (want_kcl)
		add_target(BOOT_KERNEL_CMDLINE, kcl ? kcl : KERNEL_CMDLINE_FILE);
	if (want_refind)
		add_target(BOOT_REFIND, refind ? refind : REFIND_LINUX_CONF);
}

/* Write every file or none (or only compare, or show); how many change, or -1. */
static int write_files(bool kinds[BOOT_NKINDS])
{
	struct edit_opts eo = { check ? EDIT_CHECK : dry ? EDIT_DRY_RUN : EDIT_WRITE, backup };
	struct edit_file *f = xcalloc(ntargets, sizeof(*f));
	size_t i;
	int changed;

	for (i = 0; i < ntargets; i++) {
		f[i].path = targets[i].path;
		f[i].old = targets[i].old;
		f[i].oldlen = targets[i].oldlen;
		f[i].new = targets[i].new;
		f[i].newlen = targets[i].newlen;
		if (boot_file_changed(&targets[i]))
			kinds[targets[i].kind] = true;
	}
	if (!check && kinds[BOOT_BLS])
		boot_kernelstub_warning(req, nreq);
	changed = edit_apply_all(&eo, f, ntargets);
	free(f);
	if (changed < 0)
		fprintf(stderr, "%s: nothing changed\n", prog_name());
	return changed;
}

/* What became of each file, and what the user should know of it. */
static void tell_written(void)
{
	size_t i;

	if (!dry) {
		for (i = 0; i < ntargets; i++)
			printf(boot_file_changed(&targets[i]) ? "updated '%s'\n" :
			       "'%s' already says this; nothing changed\n", root_show(targets[i].path));
		for (i = 0; i < ntargets; i++)
			if (boot_file_changed(&targets[i]))
				boot_file_recovery_note(&targets[i], req, nreq);
	}
	if (iommu)
		for (i = 0; i < ntargets; i++)
			boot_file_warn_iommu_off(&targets[i], req, nreq);
}

/* Whether a GRUB file says it already, but the configuration made from it is older. */
static bool grub_cfg_due(bool kinds[BOOT_NKINDS])
{
	bool due = false;
	size_t i;

	for (i = 0; i < ntargets && !dry; i++) {
		const char *cfg, *newer;

		if (!targets[i].grub || boot_file_changed(&targets[i]) ||
		    !(cfg = grub_cfg_stale(targets[i].grub, &newer)))
			continue;
		printf("'%s' is older than '%s': making it anew is still due.\n", root_show(cfg),
		       root_show(newer));
		report_warned("'%s' is older than '%s': making it anew is still due.", root_show(cfg),
			      root_show(newer));
		kinds[BOOT_GRUB] = true;
		due = true;
	}
	return due;
}

/* Say what makes the change take effect, or run it (--regen): 0, or -1 when it failed. */
static int next_steps(bool kinds[BOOT_NKINDS])
{
	char regen_cmds[4096] = "";
	size_t i, k;

	for (i = 0; i < BOOT_NKINDS; i++) {
		bool targeted = false;

		if (!kinds[i] && !do_regen)
			continue;
		for (k = 0; k < ntargets; k++)
			targeted |= targets[k].kind == (enum boot_kind)i;
		if (targeted)
			boot_regen_commands((enum boot_kind)i, regen_cmds + strlen(regen_cmds),
					    sizeof(regen_cmds) - strlen(regen_cmds));
	}
	report_reboot();
	if (!regen_cmds[0]) {
		printf("The boot loader reads these files itself: reboot to use the change.\n");
	} else if (do_regen) {
		if (boot_regen_run(regen_cmds, "Running: ", true) < 0)
			return -1;
		printf("Next: reboot.\n");
	} else {
		printf("Next, to make it take effect%s:\n", *root_prefix() ? " (inside that system)" : "");
		boot_regen_run(regen_cmds, "  ", false);
		printf("then reboot.\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	bool kinds[BOOT_NKINDS] = { false }, failed = false, due;
	size_t i;
	int changed;

	prog_init();
	parse_options(argc, argv);
	requests();
	find_targets();
	for (i = 0; i < ntargets; i++)
		if (boot_file_prepare(&targets[i], req, nreq, !do_list, grub_var) < 0)
			failed = true;
	if (failed)
		return finish(EXIT_FAIL);
	if (do_list) {
		list(json);
		return finish(EXIT_OK);
	}
	changed = write_files(kinds);
	if (changed < 0)
		return finish(EXIT_FAIL);
	if (check)
		return finish(changed ? EXIT_FAIL : EXIT_OK);
	tell_written();
	due = grub_cfg_due(kinds);
	if (!dry && (changed || do_regen || due) && next_steps(kinds) < 0)
		return finish(EXIT_FAIL);
	return finish(EXIT_OK);
}
