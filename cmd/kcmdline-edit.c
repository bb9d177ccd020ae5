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
#include "base/root.h"
#include "base/xalloc.h"
#include "boot/boot.h"
#include "boot/bootfile.h"
#include "boot/iommuparam.h"
#include "boot/kcmdline.h"
#include "kmod/vfioids.h"
#include "pci/hostiommu.h"
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

static noreturn void usage(void)
{
	printf("Usage: %s [options] (-a PARAM | -d PARAM | --iommu)...\n"
	       "       %s --list [-J] [targets]\n"
	       "\n"
	       "Add and remove kernel parameters where the boot loader keeps them.\n"
	       "\n"
	       "Options:\n"
	       "  -a, --add PARAM[=VALUE]  add a parameter, or give it this value\n"
	       "  -d, --remove KEY[=VALUE] remove every KEY, or only KEY=VALUE\n"
	       "      --iommu              add what turns the IOMMU on for this CPU:\n"
	       "                           intel_iommu=on iommu=pt (Intel), iommu=pt (AMD)\n"
	       "      --cpu intel|amd      with --iommu: for this CPU, not the one in /proc/cpuinfo\n"
	       "  -l, --list               list the files read, the line each kind of entry\n"
	       "                           boots, and where each parameter comes from\n"
	       "  -J, --json               with --list: print JSON\n"
	       "  -n, --dry-run            show the change as a diff, change nothing\n"
	       "      --check              exit 0 if already as asked, 1 if not; change nothing\n"
	       "      --backup             keep FILE.bak of each file replaced\n"
	       "      --regen              then run the command that makes it take effect\n"
	       "\n"
	       "Targets (default: every one found):\n"
	       "      --grub[=FILE]        /etc/default/grub\n"
	       "      --grub-var=VAR       linux (GRUB_CMDLINE_LINUX, the default) or\n"
	       "                           default (GRUB_CMDLINE_LINUX_DEFAULT)\n"
	       "      --bls[=DIR]          boot entries in loader/entries under /boot, /efi, /boot/efi\n"
	       "      --entry NAME         only this boot entry (implies --bls)\n"
	       "      --kernel-cmdline[=FILE] /etc/kernel/cmdline\n"
	       "      --refind[=FILE]      /boot/refind_linux.conf\n"
	       "      --root DIR           work on the system under DIR\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status: 0 done (or nothing to do), 1 failed, refused or check not met,\n"
	       "2 usage error.\n",
	       prog_name(), prog_name());
	exit(EXIT_OK);
}

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

/* Each line of CMDS as its words, into ARGV (at most MAX - 1 of them); their number. */
static int split_words(char *line, char **argv, int max)
{
	char *save = NULL, *w;
	int argc = 0;

	for (w = strtok_r(line, " ", &save); w && argc < max - 1; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	return argc;
}

/* Run each line of CMDS as a command with its arguments, or print it after LEAD. */
static int regen(const char *cmds, const char *lead, bool run)
{
	const char *p = cmds;

	while (*p) {
		const char *nl = strchrnul(p, '\n');
		char line[512], *argv[16];
		int r;

		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
		if (!split_words(line, argv, 16))
			continue;
		cmd_print(stdout, lead, argv);
		if (!run)
			continue;
		r = cmd_run(argv);
		if (r > 0)
			warnx("'%s' failed: the files are changed, the boot loader not yet", argv[0]);
		if (r)
			return -1;
	}
	return 0;
}

static void kernelstub_warning(const struct kparam_op *ops, size_t nops)
{
	size_t i;

	if (!boot_file_exists(KERNELSTUB_CONFIG))
		return;
	warnx("kernelstub writes the boot entries anew from '%s' at every kernel update; "
	      "tell it too:", root_show(KERNELSTUB_CONFIG));
	for (i = 0; i < nops; i++)
		fprintf(stderr, "  kernelstub %s '%s'\n", ops[i].action == KPARAM_ADD ? "-a" : "-d",
			ops[i].text);
}

/*
 * The CPU --iommu is for: the root's /proc/cpuinfo.  A system mounted
 * under --root without /proc (a rescue system working on the installed
 * one) has none: then the CPU this machine runs on, said so, the one
 * thing read outside the root.
 */
static void read_cpu(struct host_iommu *h)
{
	size_t len;
	char *text;
	int fd, e;

	host_iommu_read(h);
	if (h->cpuinfo)
		return;
	e = errno;
	if (!*root_prefix() || e != ENOENT) {
		errno = e;
		err(EXIT_FAIL, "could not read '%s'", root_show("/proc/cpuinfo"));
	}
	fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC);
	text = fd < 0 ? NULL : fd_read_all(fd, ROOT_FILE_MAX, &len);
	if (fd >= 0)
		close(fd);
	if (!text)
		err(EXIT_FAIL, "could not read '%s', nor this machine's '/proc/cpuinfo'",
		    root_show("/proc/cpuinfo"));
	host_cpu_parse(h, text);
	free(text);
	warnx("no '%s' (a system that is not running): taking the CPU this machine runs on, "
	      "from '/proc/cpuinfo' (%s); --cpu intel or --cpu amd names another",
	      root_show("/proc/cpuinfo"), h->cpu == HOST_CPU_INTEL ? "Intel" :
	      h->cpu == HOST_CPU_AMD ? "AMD" : "neither Intel nor AMD");
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
	if (json && !do_list)
		usage_error("--json goes with --list");
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

		if (found < 0)
			err(EXIT_FAIL, "could not read the boot entries");
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
			const char *base = strrchr(e.path[i], '/') + 1;
			bool take = !nentries;

			for (k = 0; k < nentries; k++) {
				size_t l = strlen(entries[k]);

				if (!strcmp(base, entries[k]) ||
				    (!strncmp(base, entries[k], l) && !strcmp(base + l, ".conf")))
					take = true;
			}
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

/* Write every file or none, then say what is next (or run it). */
static int apply_and_tell(void)
{
	char regen_cmds[4096] = "";
	size_t i;
	int changed;

	{
		struct edit_opts eo = { check ? EDIT_CHECK : dry ? EDIT_DRY_RUN : EDIT_WRITE, backup };
		struct edit_file *f = xcalloc(ntargets, sizeof(*f));
		bool kinds[4] = { false, false, false, false }, due = false;

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
			kernelstub_warning(req, nreq);
		changed = edit_apply_all(&eo, f, ntargets);
		free(f);
		if (changed < 0) {
			fprintf(stderr, "%s: nothing changed\n", prog_name());
			return finish(EXIT_FAIL);
		}
		if (check)
			return finish(changed ? EXIT_FAIL : EXIT_OK);
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
		/* a file that says it already, but the configuration made from it is older */
		for (i = 0; i < ntargets && !dry; i++) {
			const char *cfg, *newer;

			if (!targets[i].grub || boot_file_changed(&targets[i]) ||
			    !(cfg = grub_cfg_stale(targets[i].grub, &newer)))
				continue;
			printf("'%s' is older than '%s': making it anew is still due.\n", root_show(cfg),
			       root_show(newer));
			kinds[BOOT_GRUB] = true;
			due = true;
		}
		for (i = 0; i < 4; i++)
			if (kinds[i] || do_regen) {
				bool targeted = false;
				size_t k;

				for (k = 0; k < ntargets; k++)
					targeted |= targets[k].kind == (enum boot_kind)i;
				if (targeted)
					boot_regen_commands((enum boot_kind)i, regen_cmds + strlen(regen_cmds),
							    sizeof(regen_cmds) - strlen(regen_cmds));
			}
		if (!dry && (changed || do_regen || due)) {
			if (!regen_cmds[0]) {
				printf("The boot loader reads these files itself: reboot to use the change.\n");
			} else if (do_regen) {
				if (regen(regen_cmds, "Running: ", true) < 0)
					return finish(EXIT_FAIL);
				printf("Next: reboot.\n");
			} else {
				printf("Next, to make it take effect%s:\n", *root_prefix() ? " (inside that system)" : "");
				regen(regen_cmds, "  ", false);
				printf("then reboot.\n");
			}
		}
	}
	return finish(EXIT_OK);
}

int main(int argc, char **argv)
{
	size_t i;
	bool failed = false;

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
	return apply_and_tell();
}
