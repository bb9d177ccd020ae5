/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * iommu-groups - list PCI devices by IOMMU group, one line per device
 *
 * The default line is "IOMMU Group N: " and what `lspci -nns` prints for
 * the device, so `iommu-groups | grep VGA` keeps the group on every line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pci/pci.h>

#include "pci/devsel.h"
#include "pci/hostiommu.h"
#include "pci/hostuse.h"
#include "base/command.h"
#include "base/output.h"
#include "pci/pcidev.h"
#include "boot/iommuparam.h"
#include "boot/procmdline.h"
#include "base/prog.h"
#include "base/root.h"
#include "iommu-groups.h"
#include "base/xalloc.h"
#include "base/banned.h"

enum {
	OPT_ROOT = 0x100,
	OPT_TREE,
	OPT_GPU,
	OPT_WHY,
	OPT_SLOTS,
};

static const struct option longopts[] = {
	{ "tree",	no_argument,		NULL, OPT_TREE },
	{ "kernel",	no_argument,		NULL, 'k' },
	{ "domains",	no_argument,		NULL, 'D' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "group",	required_argument,	NULL, 'g' },
	{ "slot",	required_argument,	NULL, 's' },
	{ "device",	required_argument,	NULL, 'd' },
	{ "gpu",	no_argument,		NULL, OPT_GPU },
	{ "why",	no_argument,		NULL, OPT_WHY },
	{ "slots",	no_argument,		NULL, OPT_SLOTS },
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
	       "List PCI devices by IOMMU group, one line per device.\n"
	       "\n"
	       "Options:\n"
	       "      --tree             group headers with the devices below, as the classic script\n"
	       "  -k, --kernel           show the driver in use and any driver_override\n"
	       "  -D, --domains          always show PCI domain numbers\n"
	       "  -v, --verbose          show boot_vga, reset methods, group isolation and\n"
	       "                         what the host uses a device for\n"
	       "  -g, --group N          only IOMMU group N (repeatable)\n"
	       "  -s, --slot [[domain:]bus:]slot[.func]\n"
	       "                         only matching devices, as lspci -s\n"
	       "  -d, --device [vendor]:[device][:class]\n"
	       "                         only matching devices, as lspci -d\n"
	       "      --gpu              only the groups of display cards, every function\n"
	       "                         of the card (its HDMI audio) included\n"
	       "      --why              why each group's devices share it: one line per\n"
	       "                         reason (no ACS, ACS off, PCI bridge, multifunction,\n"
	       "                         DMA alias, kernel quirk, pcie_acs_override=)\n"
	       "      --slots            the physical slots: the port each hangs off, whether\n"
	       "                         a card there gets a group of its own, what is there\n"
	       "  -n, -nn                accepted as lspci takes them: the output is always\n"
	       "                         the lspci -nn form, names and numbers\n"
	       "  -i FILE                the PCI ID database to use, as lspci -i: a path\n"
	       "                         of the running system, also with --root\n"
	       "  -J, --json             print JSON with every field\n"
	       "      --root DIR         read /sys and /usr/share under DIR; names from the\n"
	       "                         running system's pci.ids when DIR has none\n"
	       "  -h, --help             show this help and exit\n"
	       "  -V, --version          show the version and exit\n"
	       "\n"
	       "Exit status:\n"
	       "  0  devices (or slots) listed\n"
	       "  1  no device matched the filters, no IOMMU groups, or no slots\n"
	       "  2  usage error\n"
	       "  3  the system, or the -i FILE, could not be read\n",
	       prog_name());
	exit(EXIT_OK);
}

struct opts {
	bool tree, kernel, domains, verbose, gpu, json, why, slots;
	const char *ids;
	bool *gpu_group;	/* --gpu: indexed by group number */
	long ngpu_group;
	long *groups;
	size_t ngroups;
	bool slot_filter, id_filter;
	struct pci_filter slot, id;
};

static long parse_group(const char *s)
{
	char *end;
	long g;

	errno = 0;
	g = strtol(s, &end, 10);
	if (!*s || *end || errno || g < 0 || *s == '-' || *s == '+')
		usage_error("invalid IOMMU group '%s': expected a number", s);
	return g;
}

/* The libpci filter fields that are set must match; -1 means any. */
static bool filter_match(const struct pci_filter *f, const struct pcidev *d)
{
	return (f->domain < 0 || (unsigned int)f->domain == d->addr.domain) &&
	       (f->bus < 0 || (unsigned int)f->bus == d->addr.bus) &&
	       (f->slot < 0 || (unsigned int)f->slot == d->addr.slot) &&
	       (f->func < 0 || (unsigned int)f->func == d->addr.func) &&
	       (f->vendor < 0 || (unsigned int)f->vendor == d->vendor) &&
	       (f->device < 0 || (unsigned int)f->device == d->device) &&
	       (f->device_class < 0 || (unsigned int)f->device_class == d->class >> 8);
}

static bool device_wanted(const struct opts *o, const struct pcidev *d)
{
	size_t i;

	if (o->slot_filter && !filter_match(&o->slot, d))
		return false;
	if (o->id_filter && !filter_match(&o->id, d))
		return false;
	if (!o->ngroups)
		return true;
	for (i = 0; i < o->ngroups; i++)
		if (o->groups[i] == d->group)
			return true;
	return false;
}

static struct hostuse inuse;

/*
 * What else shares an IOMMU group with D: when the group is not isolated
 * (devsel_group_isolated()), the endpoints on other slots; for a bridge,
 * every endpoint.
 */
static bool shares_with(const struct pcidev *d, const struct pcidev *other, bool isolated)
{
	if (other == d || pcidev_left_out(other) || isolated)
		return false;
	return pcidev_left_out(d) || !pcidev_same_slot(d, other);
}

static void print_shares(struct out *o, const struct pcidevs *l, const struct pcidev *d,
			 const struct pcidev *g, size_t n, bool isolated)
{
	char slot[PCI_ADDR_LEN];
	bool first = true;
	size_t i;

	out_array_begin(o, "shares_with");
	for (i = 0; i < n; i++) {
		if (!shares_with(d, &g[i], isolated))
			continue;
		if (o->json) {
			out_string(o, NULL, NULL, g[i].name);
		} else {
			out_text(o, "%s%s", first ? " shares=" : ",", pcidev_slot(l, &g[i], slot));
		}
		first = false;
	}
	out_array_end(o);
}

static void print_device(struct out *o, const struct opts *opt, const struct pcidevs *l,
			 const struct pcidev *d, const struct pcidev *g, size_t n, bool isolated)
{
	char line[1024];

	out_object_begin(o, NULL);
	if (o->json) {
		print_json_fields(o, l, d);
	} else {
		pcidev_describe(l, d, line, sizeof(line));
		if (opt->tree)
			out_text(o, "\t%s", line);
		else
			out_text(o, "IOMMU Group %ld: %s", d->group, line);
		if (opt->kernel) {
			out_text(o, " driver=%s", d->driver[0] ? d->driver : "-");
			if (d->override[0])
				out_text(o, " override=%s", d->override);
		}
	}
	if (o->json || opt->verbose) {
		if (!o->json && d->boot_vga >= 0)
			out_text(o, " boot_vga=%d", d->boot_vga);
		print_reset(o, d);
		out_text(o, " isolated=%s", isolated ? "yes" : "no");
		print_shares(o, l, d, g, n, isolated);
		print_inuse(o, &inuse, d);
	}
	out_text(o, "\n");
	out_object_end(o);
}

/*
 * The groups --gpu shows: those of every function of each display card
 * (same bus and slot as a display controller), so the card's HDMI audio
 * is there also when it sits in a group of its own.  L is in address
 * order, the functions of a slot next to each other.
 */
static void gpu_groups(struct opts *o, const struct pcidevs *l)
{
	size_t i, j, k;

	o->ngpu_group = 0;
	for (i = 0; i < l->n; i++)
		if (l->dev[i].group >= o->ngpu_group)
			o->ngpu_group = l->dev[i].group + 1;
	o->gpu_group = xcalloc(o->ngpu_group ? (size_t)o->ngpu_group : 1, sizeof(*o->gpu_group));
	for (i = 0; i < l->n; i = j) {
		bool display = false;

		for (j = i; j < l->n && pcidev_same_slot(&l->dev[i], &l->dev[j]); j++)
			display = display || pcidev_is_display(&l->dev[j]);
		for (k = i; display && k < j; k++)
			if (l->dev[k].group >= 0)
				o->gpu_group[l->dev[k].group] = true;
	}
}

/* Where the IOMMU stands when the kernel made no groups, and what to do. */
static void no_groups(void)
{
	struct stat st;
	bool dmar = root_stat("/sys/firmware/acpi/tables/DMAR", &st) == 0;
	bool ivrs = root_stat("/sys/firmware/acpi/tables/IVRS", &st) == 0;

	struct kcmdline c;
	struct host_iommu h;
	const char *off = NULL;
	bool hypervisor;

	host_iommu_read(&h);
	hypervisor = h.hypervisor;

	if (proc_cmdline_read(&c) == 0) {
		off = iommu_param_off(&c);
		kcmdline_free(&c);
	}
	warnx("no IOMMU groups in '%s'", root_show("/sys/kernel/iommu_groups"));
	if ((dmar || ivrs) && off)
		fprintf(stderr, "The firmware describes an IOMMU (ACPI %s table) but the kernel was booted\n"
			"with %s. Take it off the kernel command line and add what the IOMMU\n"
			"needs (%s --remove %s --iommu), regenerate the boot\n"
			"configuration and reboot.\n", dmar ? "DMAR" : "IVRS", off,
			cmd_tool("kcmdline-edit"), off);
	else if (dmar || ivrs)
		fprintf(stderr, "The firmware describes an IOMMU (ACPI %s table) but the kernel did not\n"
			"enable it. Add %s to the kernel command line (%s --iommu),\n"
			"regenerate the boot configuration and reboot.\n",
			dmar ? "DMAR" : "IVRS",
			iommu_param_advised(dmar ? IOMMU_VENDOR_INTEL : IOMMU_VENDOR_AMD),
			cmd_tool("kcmdline-edit"));
	else if (hypervisor)
		fprintf(stderr, "The firmware describes no IOMMU, and this is a virtual machine (the CPU\n"
			"flag hypervisor): %s, then reboot.\nWithout an IOMMU there is no passthrough.\n",
			HOST_VIOMMU_FIX);
	else
		fprintf(stderr, "The firmware describes no IOMMU: enable VT-d (Intel) or AMD-Vi/IOMMU (AMD)\n"
			"in the firmware setup, then reboot. Without an IOMMU there is no passthrough.\n");
}

/* The groups and devices the options ask for, in group order; how many devices. */
static size_t list_groups(const struct opts *opt, const struct pcidevs *l)
{
	struct devsel sel;
	struct out out, *o = &out;
	size_t i, shown = 0;

	devsel_init(&sel, l);
	out_init(o, stdout, opt->json);
	out_object_begin(o, NULL);
	out_array_begin(o, "groups");
	for (i = 0; i < l->n && l->dev[i].group >= 0; ) {
		const struct pcidev *g = &l->dev[i];
		size_t n = 1, j;
		bool isolated, header = false;

		while (i + n < l->n && l->dev[i + n].group == g->group)
			n++;
		i += n;
		if (opt->gpu && !opt->gpu_group[g->group])
			continue;
		isolated = devsel_group_isolated(&sel, (size_t)(g - l->dev));
		for (j = 0; j < n; j++) {
			if (!device_wanted(opt, &g[j]))
				continue;
			if (!header) {
				out_object_begin(o, NULL);
				out_uint(o, "group", opt->tree ? "IOMMU Group " : NULL,
					 (unsigned long)g->group);
				if (opt->tree)
					out_text(o, ":\n");
				out_bool(o, "isolated", NULL, isolated);
				out_array_begin(o, "devices");
				header = true;
			}
			print_device(o, opt, l, &g[j], g, n, isolated);
			shown++;
		}
		if (header) {
			out_array_end(o);
			out_object_end(o);
		}
	}
	out_array_end(o);
	out_object_end(o);
	out_finish(o);
	devsel_free(&sel);
	return shown;
}

/* --why: the groups the filters leave, each with every member. */
static size_t why_groups(const struct opts *opt, const struct pcidevs *l)
{
	bool *want = xcalloc(l->n ? l->n : 1, sizeof(*want));
	size_t i, shown;

	for (i = 0; i < l->n; i++)
		want[i] = l->dev[i].group >= 0 && device_wanted(opt, &l->dev[i]) &&
			  (!opt->gpu || opt->gpu_group[l->dev[i].group]);
	shown = print_why(l, want, opt->json);
	free(want);
	return shown;
}

int main(int argc, char **argv)
{
	struct opts opt = { 0 };
	const char *root = NULL;
	struct pcidevs l;
	size_t shown;
	int c;

	prog_init();
	while ((c = getopt_long(argc, argv, ":kDvg:s:d:ni:JhV", longopts, NULL)) != -1) {
		char *msg;

		switch (c) {
		case OPT_TREE:
			opt.tree = true;
			break;
		case 'k':
			opt.kernel = true;
			break;
		case 'D':
			opt.domains = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'g':
			opt.groups = xreallocarray(opt.groups, opt.ngroups + 1, sizeof(*opt.groups));
			opt.groups[opt.ngroups++] = parse_group(optarg);
			break;
		case 's':
			pci_filter_init(NULL, &opt.slot);
			msg = pci_filter_parse_slot(&opt.slot, optarg);
			if (msg)
				usage_error("invalid slot '%s': %s", optarg, msg);
			opt.slot_filter = true;
			break;
		case 'd':
			pci_filter_init(NULL, &opt.id);
			msg = pci_filter_parse_id(&opt.id, optarg);
			if (msg)
				usage_error("invalid device ID '%s': %s", optarg, msg);
			opt.id_filter = true;
			break;
		case 'n':
			/* lspci's -n and -nn: the line is always the -nn form. */
			break;
		case 'i':
			opt.ids = optarg;
			break;
		case OPT_GPU:
			opt.gpu = true;
			break;
		case OPT_WHY:
			opt.why = true;
			break;
		case OPT_SLOTS:
			opt.slots = true;
			break;
		case 'J':
			opt.json = true;
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
	if (opt.json && opt.tree)
		usage_error("--json and --tree do not go together");
	if (opt.why && (opt.tree || opt.kernel || opt.verbose))
		usage_error("--why and %s do not go together",
			    opt.tree ? "--tree" : opt.kernel ? "--kernel" : "--verbose");
	if (opt.slots && (opt.why || opt.tree || opt.verbose || opt.gpu || opt.ngroups ||
			  opt.slot_filter || opt.id_filter))
		usage_error("--slots and %s do not go together", opt.why ? "--why" :
			    opt.tree ? "--tree" : opt.verbose ? "--verbose" : opt.gpu ? "--gpu" :
			    opt.ngroups ? "--group" : opt.slot_filter ? "--slot" : "--device");

	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	/* lspci's habit: a root without pci.ids still shows names. */
	pcidevs_use_ids(opt.ids);
	if (pcidevs_scan(&l, opt.json ? PCIDEV_ALL :
			 (opt.kernel ? PCIDEV_DRIVER | PCIDEV_OVERRIDE : 0) |
			 (opt.verbose ? PCIDEV_BOOT_VGA | PCIDEV_RESET | PCIDEV_DRIVER : 0)) < 0)
		return EXIT_FAIL;
	if ((opt.verbose || opt.json) && !opt.slots)
		hostuse_scan(&inuse, &l);
	if (pcidevs_grouped(&l) == 0) {
		no_groups();
		pcidevs_free(&l);
		return EXIT_NOTMET;
	}
	if (opt.domains)
		l.domains = true;
	if (opt.slots) {
		/* Whether a host bridge counts against isolation depends on its driver. */
		for (shown = 0; shown < l.n; shown++)
			if (l.dev[shown].class >> 8 == 0x0600 && !opt.kernel && !opt.json &&
			    pcidev_read(&l.dev[shown], PCIDEV_DRIVER) < 0)
				l.dev[shown].driver[0] = '\0';
		shown = list_slots(&l, opt.kernel, opt.json);
		pcidevs_free(&l);
		return shown ? EXIT_OK : EXIT_NOTMET;
	}
	if (opt.gpu)
		gpu_groups(&opt, &l);
	pcidevs_sort_by_group(&l);

	if (opt.why)
		shown = why_groups(&opt, &l);
	else
		shown = list_groups(&opt, &l);
	hostuse_free(&inuse);
	pcidevs_free(&l);
	free(opt.groups);
	free(opt.gpu_group);
	return shown ? EXIT_OK : EXIT_NOTMET;
}
