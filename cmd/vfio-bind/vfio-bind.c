/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-bind - put every function of a device's IOMMU group on vfio-pci,
 * now (sysfs) or at every boot (modprobe.d), and give them back
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/command.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "pci/devsel.h"
#include "pci/hostuse.h"
#include "pci/pcidev.h"
#include "vfio-bind.h"
#include "base/banned.h"

enum {
	OPT_ROOT = 0x100,
	OPT_CHECK,
	OPT_UNBIND,
	OPT_PERSIST,
	OPT_NOW,
	OPT_LIST,
	OPT_FORCE,
	OPT_IGNORE_MSRS,
	OPT_BACKUP,
	OPT_STOP_HOLDERS,
	OPT_HANDOVER,
	OPT_GIVEBACK,
	OPT_LIBVIRT_HOOK,
};

static const struct option longopts[] = {
	{ "dry-run",	no_argument,		NULL, 'n' },
	{ "check",	no_argument,		NULL, OPT_CHECK },
	{ "unbind",	no_argument,		NULL, OPT_UNBIND },
	{ "persist",	no_argument,		NULL, OPT_PERSIST },
	{ "now",	no_argument,		NULL, OPT_NOW },
	{ "list",	no_argument,		NULL, OPT_LIST },
	{ "force",	no_argument,		NULL, OPT_FORCE },
	{ "ignore-msrs", no_argument,		NULL, OPT_IGNORE_MSRS },
	{ "backup",	no_argument,		NULL, OPT_BACKUP },
	{ "stop-holders", no_argument,		NULL, OPT_STOP_HOLDERS },
	{ "handover",	no_argument,		NULL, OPT_HANDOVER },
	{ "giveback",	no_argument,		NULL, OPT_GIVEBACK },
	{ "libvirt-hook", no_argument,		NULL, OPT_LIBVIRT_HOOK },
	{ "json",	no_argument,		NULL, 'J' },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] DEVICE...\n"
	       "       %s --handover [--stop-holders] [-n] DEVICE\n"
	       "       %s --giveback [-n] DEVICE\n"
	       "       %s --libvirt-hook DOMAIN OPERATION SUB-OPERATION [EXTRA]\n"
	       "       %s --list [-J]\n"
	       "\n"
	       "Put every function of DEVICE's IOMMU group on vfio-pci, now or at every boot.\n"
	       "DEVICE is a PCI address ([domain:]bus:slot.func), a card's slot\n"
	       "([domain:]bus:slot: every function of it) or a vendor:device ID\n"
	       "that matches exactly one device.\n"
	       "\n"
	       "Options:\n"
	       "      --unbind        give the functions back to their host drivers\n"
	       "      --persist       write the boot configuration instead of binding now\n"
	       "      --now           with --persist: also bind now\n"
	       "      --ignore-msrs   with --persist: also set kvm ignore_msrs=1\n"
	       "  -n, --dry-run       show the sysfs writes or the file changes, change nothing\n"
	       "      --check         exit 0 if already as asked, 1 if not; change nothing\n"
	       "      --force         bind despite a shared group, the boot VGA device,\n"
	       "                      a bridge, a device the host uses or no IOMMU groups\n"
	       "      --stop-holders  end the processes holding the functions' device nodes\n"
	       "                      (SIGTERM, SIGKILL after 5 seconds) before binding\n"
	       "      --handover      take the boot GPU from the host: unbind the consoles\n"
	       "                      on its framebuffers, release the firmware framebuffer,\n"
	       "                      then bind, each change first recorded in\n"
	       "                      /run/vfio-utils/handover-FUNCTION\n"
	       "      --giveback      undo what --handover recorded, in reverse order\n"
	       "      --libvirt-hook  as libvirt's qemu hook, the domain XML on standard input:\n"
	       "                      --handover --stop-holders of its PCI hostdevs' cards\n"
	       "                      on prepare begin, --giveback on release end\n"
	       "      --backup        keep FILE.bak of each configuration file replaced\n"
	       "      --list          list the devices on vfio-pci or with a driver_override,\n"
	       "                      then those modprobe.d binds to vfio-pci at boot\n"
	       "  -J, --json          print what was done as JSON (with --list: the listing)\n"
	       "  -i FILE             the PCI ID database for names, as lspci -i: a path\n"
	       "                      of the running system, also with --root\n"
	       "      --root DIR      work on the system under DIR; names from the\n"
	       "                      running system's pci.ids when DIR has none\n"
	       "  -h, --help          show this help and exit\n"
	       "  -V, --version       show the version and exit\n"
	       "\n"
	       "Exit status:\n"
	       "  0  done, or already so; --check: already as asked; --list: devices listed\n"
	       "  1  --check: not as asked; --list: nothing on vfio-pci, with an override\n"
	       "     or bound at boot\n"
	       "  2  usage error\n"
	       "  3  refused (shared group, host device, a process holding the card, ...),\n"
	       "     no such device, the -i FILE could not be read, or failed: nothing changed\n",
	       prog_name(), prog_name(), prog_name(), prog_name(), prog_name());
	exit(EXIT_OK);
}

struct pcidevs devs;
struct hostuse inuse;
static struct devsel sel;
/* One flag per device: named, a function of a named card, to take. */
static bool *sel_want, *sel_card, *sel_take;

/*
 * The functions to bind for the devices in WANT (devsel_collect).
 * Returns false when something refuses and --force was not given.
 */
static bool collect(const struct opts *o, const bool *want, const bool *card, bool *take)
{
	size_t i;

	/* A hand-over is the consent to take the boot VGA device. */
	switch (devsel_collect(&sel, &inuse, want, card, (o->force ? DEVSEL_FORCE : 0) |
			       (o->handover ? DEVSEL_BOOT_VGA : 0), take)) {
	case DEVSEL_NO_GROUPS:
		return false;
	case DEVSEL_REFUSED:
		if (o->force)
			return true;
		/* The boot GPU: who holds it too, and the way to take it that exists. */
		for (i = 0; i < devs.n && !(take[i] && devs.dev[i].boot_vga == 1); i++)
			;
		if (i < devs.n && !o->handover && !o->hook) {
			if (name_holders(take))
				fprintf(stderr, "%s: nothing changed; --handover --stop-holders ends them "
					"and takes the boot VGA device from the host's display\n",
					prog_name());
			else
				fprintf(stderr, "%s: nothing changed; --handover takes the boot VGA device "
					"from the host's display, --force binds anyway\n", prog_name());
			return false;
		}
		fprintf(stderr, "%s: nothing changed; --force binds anyway\n", prog_name());
		return false;
	case DEVSEL_OK:
		break;
	}
	return true;
}

/* Without --persist, how to make it last (on the same root). */
static void hint_persist(char **args, size_t nargs)
{
	size_t i;

	printf("This lasts until reboot; to bind at every boot: %s --persist", cmd_tool(prog_name()));
	for (i = 0; i < nargs; i++)
		printf(" %s", args[i]);
	putchar('\n');
}

/* One card of --libvirt-hook: DEV handed over, or given back (GIVE). */
static int hook_card(const struct opts *o, const char *dev, bool give)
{
	struct opts one = *o;
	char name[32], *args[] = { name };

	snprintf(name, sizeof(name), "%s", dev);
	memset(sel_want, 0, devs.n * sizeof(*sel_want));
	memset(sel_card, 0, devs.n * sizeof(*sel_card));
	memset(sel_take, 0, devs.n * sizeof(*sel_take));
	devsel_pick_cards(&devs, args, 1, sel_want, sel_card);
	if (give) {
		one.giveback = true;
		devsel_take(&sel, sel_want, sel_take);
		return giveback(&one, sel_take);
	}
	one.handover = true;
	return collect(&one, sel_want, sel_card, sel_take) && check_holders(&one, sel_take) == EXIT_OK ?
	       handover(&one, sel_take) : EXIT_FAIL;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *root = NULL, *ids = NULL;
	int c, ret;

	prog_init();
	while ((c = getopt_long(argc, argv, ":nJi:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o.dry_run = true;
			break;
		case OPT_CHECK:
			o.check = true;
			break;
		case OPT_UNBIND:
			o.unbind = true;
			break;
		case OPT_PERSIST:
			o.persist = true;
			break;
		case OPT_NOW:
			o.now = true;
			break;
		case OPT_LIST:
			o.list = true;
			break;
		case OPT_FORCE:
			o.force = true;
			break;
		case OPT_IGNORE_MSRS:
			o.ignore_msrs = true;
			break;
		case OPT_BACKUP:
			o.backup = true;
			break;
		case OPT_STOP_HOLDERS:
			o.stop_holders = true;
			break;
		case OPT_HANDOVER:
			o.handover = true;
			break;
		case OPT_GIVEBACK:
			o.giveback = true;
			break;
		case OPT_LIBVIRT_HOOK:
			o.hook = true;
			break;
		case 'J':
			o.json = true;
			break;
		case 'i':
			ids = optarg;
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
	if (o.hook && (o.list || o.unbind || o.persist || o.now || o.check || o.backup || o.handover ||
		       o.giveback || o.force || o.ignore_msrs))
		usage_error("--libvirt-hook takes only -n, -J, -i and --root");
	/* The hook is the consent, and nobody is there to end the holders. */
	if (o.hook)
		o.stop_holders = true;
	if (o.list && optind < argc)
		usage_error("--list takes no devices");
	if (!o.list && !o.hook && optind == argc)
		usage_error("no device given");
	if (o.now && !o.persist)
		usage_error("--now goes with --persist");
	if (o.ignore_msrs && !o.persist)
		usage_error("--ignore-msrs goes with --persist");
	if (o.dry_run && o.check)
		usage_error("--dry-run and --check do not go together");
	if (o.stop_holders && (o.list || o.unbind || o.check || (o.persist && !o.now)))
		usage_error("--stop-holders goes with binding now");
	if ((o.handover || o.giveback) && (o.list || o.unbind || o.persist || o.check || o.backup))
		usage_error("--%s goes with neither --list, --unbind, --persist, --check nor --backup",
			    o.handover ? "handover" : "giveback");
	if (o.handover && o.giveback)
		usage_error("--handover and --giveback do not go together");
	if (o.giveback && (o.stop_holders || o.force))
		usage_error("--giveback takes neither --stop-holders nor --force");
	if ((o.handover || o.giveback) && argc - optind > 1)
		usage_error("--%s takes one device", o.handover ? "handover" : "giveback");
	report_init(o.json && !o.list, root, o.check ? REPORT_CHECK : o.dry_run ? REPORT_DRY_RUN :
		    REPORT_WRITE);
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	/* lspci's habit: a root without pci.ids still shows names. */
	pcidevs_use_ids(ids);
	if (pcidevs_scan(&devs, PCIDEV_ALL) < 0)
		return EXIT_FAIL;
	if (o.list) {
		ret = list_bound(&o);
		pcidevs_free(&devs);
		return ret;
	}

	sel_want = xcalloc(devs.n ? devs.n : 1, sizeof(*sel_want));
	sel_card = xcalloc(devs.n ? devs.n : 1, sizeof(*sel_card));
	sel_take = xcalloc(devs.n ? devs.n : 1, sizeof(*sel_take));
	devsel_init(&sel, &devs);
	if (!o.hook)
		devsel_pick_cards(&devs, argv + optind, (size_t)(argc - optind), sel_want, sel_card);
	if (!o.unbind && !o.giveback)
		hostuse_scan(&inuse, &devs);
	if (o.hook) {
		ret = libvirt_hook(&o, argv + optind, (size_t)(argc - optind), hook_card);
	} else if (o.giveback) {
		devsel_take(&sel, sel_want, sel_take);
		ret = giveback(&o, sel_take);
	} else if (o.unbind) {
		/* Giving back needs no checks: everything binding would have taken. */
		devsel_take(&sel, sel_want, sel_take);
		if (o.persist && o.now && !o.check && !o.dry_run)
			ret = now_then_persist(&o, sel_take, unbind_now);
		else
			ret = o.persist ? persist(&o, sel_take) : unbind_now(&o, sel_take);
		if (ret == EXIT_OK && o.persist && o.now && !o.check && o.dry_run)
			ret = unbind_now(&o, sel_take);
	} else if (o.handover) {
		ret = collect(&o, sel_want, sel_card, sel_take) && check_holders(&o, sel_take) == EXIT_OK ?
		      handover(&o, sel_take) : EXIT_FAIL;
	} else if (!collect(&o, sel_want, sel_card, sel_take) ||
		   ((!o.persist || o.now) && !o.check && check_holders(&o, sel_take) != EXIT_OK)) {
		ret = EXIT_FAIL;
	} else if (o.persist && o.now && !o.check && !o.dry_run) {
		ret = now_then_persist(&o, sel_take, bind_now);
	} else if (o.persist) {
		ret = persist(&o, sel_take);
		if (ret == EXIT_OK && o.now)
			ret = bind_now(&o, sel_take);
	} else {
		ret = bind_now(&o, sel_take);
		if (ret == EXIT_OK && !o.dry_run && !o.check)
			hint_persist(argv + optind, (size_t)(argc - optind));
	}
	free(sel_want);
	free(sel_card);
	free(sel_take);
	devsel_free(&sel);
	hostuse_free(&inuse);
	pcidevs_free(&devs);
	return ret;
}
