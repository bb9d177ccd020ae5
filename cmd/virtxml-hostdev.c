/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtxml-hostdev - give a libvirt domain every function of a card and of
 * their IOMMU groups, as vfio-bind binds them, on one guest slot
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/command.h"
#include "base/diff.h"
#include "base/edit.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/shquote.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "pci/devsel.h"
#include "pci/hostuse.h"
#include "pci/pcidev.h"
#include "virt/domain.h"
#include "virt/hostdev.h"
#include "base/banned.h"

enum {
	OPT_ROOT = 0x100,
	OPT_CHECK,
	OPT_REMOVE,
	OPT_ROM,
	OPT_NO_MULTIFUNCTION,
	OPT_FORCE,
	OPT_FIX,
	OPT_BACKUP,
};

static const struct option longopts[] = {
	{ "in-place",		no_argument,		NULL, 'i' },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	{ "remove",		no_argument,		NULL, OPT_REMOVE },
	{ "rom",		required_argument,	NULL, OPT_ROM },
	{ "no-multifunction",	no_argument,		NULL, OPT_NO_MULTIFUNCTION },
	{ "force",		no_argument,		NULL, OPT_FORCE },
	{ "fix",		no_argument,		NULL, OPT_FIX },
	{ "backup",		no_argument,		NULL, OPT_BACKUP },
	{ "json",		no_argument,		NULL, 'J' },
	{ "root",		required_argument,	NULL, OPT_ROOT },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] DEVICE [FILE]\n"
	       "       %s --remove [options] [FILE]\n"
	       "\n"
	       "Give a libvirt domain every function of DEVICE's card and every other device\n"
	       "of their IOMMU groups, the set vfio-bind binds, as <hostdev> elements: the\n"
	       "card's functions on one guest slot with the host's function numbers.  DEVICE\n"
	       "is a PCI address, a card's slot or a vendor:device ID, as vfio-bind takes it.\n"
	       "Reads FILE or standard input and writes standard output:\n"
	       "  virsh dumpxml --inactive win11 | %s 07:00.0 |\n"
	       "    virsh define /dev/stdin\n"
	       "\n"
	       "Options:\n"
	       "  -i, --in-place           edit FILE instead of writing standard output\n"
	       "      --rom FILE           a <rom file=FILE/> on the display functions\n"
	       "      --no-multifunction   no multifunction='on' on function 0\n"
	       "      --force              add despite a shared group, the boot VGA device,\n"
	       "                           a bridge, a device the host uses or no IOMMU groups\n"
	       "      --fix                move the card's functions the domain has on several\n"
	       "                           guest slots, or on none, to one\n"
	       "      --remove             take out what this tool added, as its record says\n"
	       "  -n, --dry-run            show the change as a unified diff, change nothing\n"
	       "      --check              exit 0 if nothing needs to change, 1 if something\n"
	       "                           does or a recorded function is now another device\n"
	       "      --backup             with -i: keep FILE.bak\n"
	       "  -J, --json               with -i: print what was done as JSON\n"
	       "      --root DIR           the devices and FILE of the system under DIR\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Exit status:\n"
	       "  0  done, or nothing to change; --check: nothing needs to change\n"
	       "  1  --check: something needs to change, or the host's numbering changed\n"
	       "  2  usage error\n"
	       "  3  refused (shared group, host device, numbering changed, ...), no such\n"
	       "     device, not a libvirt domain, a file could not be read or written:\n"
	       "     nothing written\n",
	       prog_name(), prog_name(), prog_name());
	exit(EXIT_OK);
}

struct opts {
	bool in_place, dry_run, backup, json, force;
	char *device;
	struct hostdev_opts h;
};

/* The command that makes libvirt use the file, as virtxml-hide says it. */
static void say_next(const char *shown, const char *path)
{
	char q[SHQUOTE_SIZE(4096 + 256)];
	const char *file = shquote(*root_prefix() ? path : shown, q, sizeof(q));

	printf("Next: %svirsh define %s, then start the domain\n", cmd_chroot(), file ? file : "FILE");
	if (file && report_active()) {
		char *line = xasprintf("%svirsh define %s", cmd_chroot(), file);

		report_command(line);
		free(line);
	}
}

/* FILE may name a domain: the pipeline with virsh, with the options that reach the edit. */
static noreturn void open_failed(const struct opts *o, const char *file, const char *shown)
{
	char q[SHQUOTE_SIZE(4096)];
	struct strbuf tail = STRBUF_INIT;
	int e = errno;

	strbuf_addstr(&tail, "virtxml-hostdev");
	if (o->h.remove)
		strbuf_addstr(&tail, " --remove");
	else
		strbuf_addf(&tail, " %s", shquote(o->device, q, sizeof(q)));
	if (o->h.rom)
		strbuf_addf(&tail, " --rom %s", shquote(o->h.rom, q, sizeof(q)));
	if (o->h.no_multifunction)
		strbuf_addstr(&tail, " --no-multifunction");
	if (o->force)
		strbuf_addstr(&tail, " --force");
	if (o->h.fix)
		strbuf_addstr(&tail, " --fix");
	if (o->dry_run)
		strbuf_addstr(&tail, " -n");
	else if (o->h.check)
		strbuf_addstr(&tail, " --check");
	else
		strbuf_addstr(&tail, " | virsh define /dev/stdin");
	errno = e;
	domain_open_failed(file, shown, o->dry_run || o->h.check ? "check" : "edit", tail.buf);
}

/*
 * The set to add for DEVICE, as vfio-bind binds it (devsel_collect), in
 * TAKE; false after the refusals unless --force.
 */
static bool collect(const struct opts *o, struct pcidevs *devs, bool *take)
{
	bool *want = xcalloc(devs->n ? devs->n : 1, sizeof(*want));
	bool *card = xcalloc(devs->n ? devs->n : 1, sizeof(*card));
	char *arg = o->device;
	struct hostuse inuse = { 0 };
	struct devsel sel;
	enum devsel_verdict v;

	devsel_init(&sel, devs);
	devsel_pick_cards(devs, &arg, 1, want, card);
	hostuse_scan(&inuse, devs);
	v = devsel_collect(&sel, &inuse, want, card, o->force ? DEVSEL_FORCE : 0, take);
	if (v == DEVSEL_REFUSED && !o->force)
		fprintf(stderr, "%s: nothing changed; --force adds them anyway\n", prog_name());
	devsel_free(&sel);
	hostuse_free(&inuse);
	free(want);
	free(card);
	return v == DEVSEL_OK || (v == DEVSEL_REFUSED && o->force);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct hostdev_after after = { 0 };
	struct pcidevs devs = { 0 };
	const char *root = NULL, *file = NULL, *shown;
	char *path = NULL, *text, *out;
	bool *take = NULL;
	size_t len = 0, outlen = 0;
	struct stat st;
	int c, fd, ret = EXIT_OK;

	prog_init();
	while ((c = getopt_long(argc, argv, ":inJhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.in_place = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case OPT_CHECK:
			o.h.check = true;
			break;
		case OPT_REMOVE:
			o.h.remove = true;
			break;
		case OPT_ROM:
			if (!*optarg)
				usage_error("empty --rom file name");
			o.h.rom = optarg;
			break;
		case OPT_NO_MULTIFUNCTION:
			o.h.no_multifunction = true;
			break;
		case OPT_FORCE:
			o.force = true;
			break;
		case OPT_FIX:
			o.h.fix = true;
			break;
		case OPT_BACKUP:
			o.backup = true;
			break;
		case 'J':
			o.json = true;
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
	if (!o.h.remove) {
		if (optind == argc)
			usage_error("no device given");
		o.device = argv[optind++];
	}
	if (argc - optind > 1)
		usage_error("one FILE at most");
	if (optind < argc && strcmp(argv[optind], "-"))
		file = argv[optind];
	if (file && !*file)
		usage_error("empty file name");
	if (o.in_place && !file)
		usage_error("--in-place needs a FILE");
	if (o.backup && !o.in_place)
		usage_error("--backup goes with --in-place");
	if (o.json && !o.in_place)
		usage_error("-J needs -i: standard output is the XML");
	if (o.dry_run && o.h.check)
		usage_error("--dry-run and --check do not go together");
	if (o.h.remove && (o.h.rom || o.h.no_multifunction || o.force || o.h.fix))
		usage_error("--remove takes no --rom, --no-multifunction, --force or --fix");
	report_init(o.json, root, o.h.check ? REPORT_CHECK : o.dry_run ? REPORT_DRY_RUN :
		    REPORT_WRITE);
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	pcidevs_use_ids(NULL);
	if (pcidevs_scan(&devs, PCIDEV_ALL) < 0)
		return EXIT_FAIL;
	o.h.host = &devs;
	if (!o.h.remove) {
		take = xcalloc(devs.n ? devs.n : 1, sizeof(*take));
		if (!collect(&o, &devs, take)) {
			free(take);
			pcidevs_free(&devs);
			return EXIT_FAIL;
		}
		o.h.take = take;
	}

	if (file) {
		path = root_file_arg(file);
		shown = root ? root_show(path) : file;
		if (o.in_place && !o.dry_run && !o.h.check && edit_lock(path) < 0) {
			free(path);
			return EXIT_FAIL;
		}
		/* Not blocking on a FIFO, which only a reader may be given. */
		fd = root_open(path, O_RDONLY | (o.in_place ? O_NONBLOCK : 0), 0);
		if (fd < 0)
			open_failed(&o, file, shown);
		if (o.in_place && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
			errx(EXIT_FAIL, "could not edit '%s' in place: not a regular file", shown);
		text = fd_read_all(fd, ROOT_FILE_MAX, &len);
		if (!text)
			err(EXIT_FAIL, "could not read '%s'", shown);
		close(fd);
	} else {
		shown = "standard input";
		text = fd_read_all(STDIN_FILENO, ROOT_FILE_MAX, &len);
		if (!text)
			err(EXIT_FAIL, "could not read standard input");
	}

	out = hostdev_edit(&o.h, text, len, shown, &outlen, &after);
	if (!out) {
		ret = o.h.check && after.renumbered ? EXIT_NOTMET : EXIT_FAIL;
		goto done;
	}
	if (o.in_place) {
		struct edit_opts eo = { o.h.check ? EDIT_CHECK : o.dry_run ? EDIT_DRY_RUN : EDIT_WRITE,
					o.backup };
		int r = edit_apply(&eo, path, text, len, out, outlen, 0644);

		if (r < 0)
			ret = EXIT_FAIL;
		else if (o.h.check)
			ret = r ? EXIT_NOTMET : EXIT_OK;
		else if (eo.mode == EDIT_WRITE && r) {
			printf("updated '%s'\n", shown);
			say_next(shown, path);
		} else if (eo.mode == EDIT_WRITE) {
			printf(o.h.remove ? "'%s' has nothing %s added; nothing changed\n" :
			       "'%s' already has every function %s would add; nothing changed\n", shown,
			       prog_name());
		}
	} else if (o.h.check) {
		ret = outlen == len && !memcmp(out, text, len) ? EXIT_OK : EXIT_NOTMET;
	} else if (o.dry_run) {
		diff_unified(stdout, path ? path : "/dev/stdin", text, len, out, outlen);
	} else {
		fwrite(out, 1, outlen, stdout);
	}
	if (ret == EXIT_OK && o.h.check && (after.split || after.unaddressed) && !o.h.fix)
		ret = EXIT_NOTMET;
	if (out != text)
		free(out);
done:
	free(text);
	free(path);
	free(take);
	pcidevs_free(&devs);
	return ret;
}
