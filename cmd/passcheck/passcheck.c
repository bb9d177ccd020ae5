/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * passcheck - is this host ready for PCI passthrough, and what fixes it
 * if not: one line per check, `STATUS check-id: message`
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "passcheck.h"
#include "base/banned.h"

enum { OPT_ROOT = 0x100, OPT_XML };

static const struct option longopts[] = {
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "json",	no_argument,		NULL, 'J' },
	{ "xml",	required_argument,	NULL, OPT_XML },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] [DEVICE...]\n"
	       "\n"
	       "Check that this host is ready to pass DEVICE through to a virtual machine,\n"
	       "one line per check: PASS, WARN, FAIL or SKIP, the check, what was found and\n"
	       "what fixes it.  DEVICE is a PCI address ([domain:]bus:slot.func), a card's\n"
	       "slot ([domain:]bus:slot: every function of it) or a vendor:device ID;\n"
	       "without one, every display controller that is not the boot VGA device.\n"
	       "\n"
	       "Options:\n"
	       "  -q, --quiet         print only WARN and FAIL lines\n"
	       "  -J, --json          print JSON\n"
	       "      --xml FILE      also check the libvirt domain in FILE (- for standard\n"
	       "                      input): DEVICE's card passed to it on one guest slot,\n"
	       "                      still the devices recorded, the hypervisor hidden\n"
	       "  -i FILE             the PCI ID database for names, as lspci -i: a path\n"
	       "                      of the running system, also with --root\n"
	       "      --root DIR      check the system under DIR; names from the running\n"
	       "                      system's pci.ids when DIR has none\n"
	       "  -h, --help          show this help and exit\n"
	       "  -V, --version       show the version and exit\n"
	       "\n"
	       "Exit status:\n"
	       "  0  no check failed (WARN and SKIP allowed)\n"
	       "  1  a check failed\n"
	       "  2  usage error\n"
	       "  3  could not check: no such device, the system, --xml FILE or -i FILE\n"
	       "     could not be read, or FILE is not a libvirt domain\n",
	       prog_name());
	exit(EXIT_OK);
}

static const char *const status_name[] = { "PASS", "WARN", "FAIL", "SKIP" };
struct out out;
static bool quiet;
static unsigned int counts[4];

void __attribute__((format(printf, 4, 5)))
report(enum status s, const char *id, const char *device, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	counts[s]++;
	if (out.json) {
		out_object_begin(&out, NULL);
		out_string(&out, "status", NULL, status_name[s]);
		out_string(&out, "check", NULL, id);
		out_string(&out, "device", NULL, device);
		out_string(&out, "message", NULL, msg);
		out_object_end(&out);
	} else if (!quiet || s == WARN || s == FAIL) {
		printf("%s %s: %s%s%s\n", status_name[s], id, device ? device : "",
		       device ? ": " : "", msg);
	}
	free(msg);
}

struct host_iommu host;
struct kcmdline cmdline;
bool have_cmdline;
struct pcidevs devs;
struct devsel sel;
struct pcidev_chain by_id;
bool *chosen;		/* the devices to check, and their groups' members */
struct modprobe_conf modconf;
bool have_modconf;
struct vfio_persist persisted;
struct hostuse inuse;

static void check_device(const struct pcidev *d)
{
	char slot[PCI_ADDR_LEN];

	pcidev_slot(&devs, d, slot);
	check_group(d);
	check_in_use(d);
	check_driver(d, slot);
	check_boot(d, slot);
	check_boot_vga(d);
	check_reset(d);
	check_shared_ids(d);
	check_rom(d);
	if (have_dom) {
		check_hostdev(d);
		check_guest_slot(d);
	}
}

static void check_no_device(void)
{
	char slot[PCI_ADDR_LEN];
	size_t i;

	for (i = 0; i < devs.n; i++)
		if (pcidev_is_display(&devs.dev[i]))
			break;
	if (i < devs.n)
		report(SKIP, "devices", NULL, "no display controller besides the boot VGA device "
		       "(%s): name the device to check; %s %s says whether vfio-bind --handover can "
		       "take it from the host", devs.dev[i].name, cmd_tool("passcheck"),
		       pcidev_slot(&devs, &devs.dev[i], slot));
	else
		report(SKIP, "devices", NULL, "no display controller at all%s: name the device to "
		       "check", devs.n ? "" : " (no PCI device)");
}

/* The devices the arguments name; every display controller but the boot VGA without any. */
static size_t pick(char **args, size_t nargs, bool *want)
{
	size_t i, k, n = 0;

	for (k = 0; k < nargs; k++)
		n += devsel_pick(&devs, args[k], DEVSEL_EVERY, want);
	if (nargs)
		return n;
	for (i = 0; i < devs.n; i++)
		if (pcidev_is_display(&devs.dev[i]) && devs.dev[i].boot_vga != 1) {
			want[i] = true;
			n++;
		}
	return n;
}

static void load_boot_config(void)
{
	size_t len;
	char *text;
	const char *why;

	have_modconf = modprobe_conf_load(&modconf) == 0;
	text = root_read_file(VFIO_MODPROBE_CONF, &len);
	if (text && vfioconf_parse(text, &persisted, &why) < 0)
		warnx("could not parse '%s': %s", root_show(VFIO_MODPROBE_CONF), why);
	free(text);
}

/* The options; the arguments left (the devices) start at optind. */
static void parse_options(int argc, char **argv, bool *json, const char **xml, const char **root,
			  const char **ids)
{
	int c;

	while ((c = getopt_long(argc, argv, ":qJi:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			quiet = true;
			break;
		case 'J':
			*json = true;
			break;
		case 'i':
			*ids = optarg;
			break;
		case OPT_XML:
			if (!*optarg)
				usage_error("empty file name for --xml");
			*xml = optarg;
			break;
		case OPT_ROOT:
			*root = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_bad_option(c, argv, longopts);
		}
	}
}

static void read_driver(struct pcidev *d, unsigned int what)
{
	if (pcidev_read(d, what) < 0)
		err(EXIT_FAIL, "could not read '%s/%s'", root_show("/sys/bus/pci/devices"), d->name);
}

/*
 * The PCI functions, the ones ARGS name (*WANT, their count returned) and
 * what goes with them (chosen); drivers and reset methods only for those.
 */
static size_t load_devices(char **args, size_t nargs, bool **want)
{
	size_t i, n;

	if (pcidevs_scan(&devs, PCIDEV_BOOT_VGA) < 0)
		exit(EXIT_FAIL);
	*want = xcalloc(devs.n, sizeof(**want));
	chosen = xcalloc(devs.n, sizeof(*chosen));
	/* Whether a host bridge is left out depends on its driver. */
	for (i = 0; i < devs.n; i++)
		if (devs.dev[i].class >> 8 == 0x0600)
			read_driver(&devs.dev[i], PCIDEV_DRIVER);
	devsel_init(&sel, &devs);
	pcidev_chain_init(&by_id, &devs, PCIDEV_BY_ID);
	n = pick(args, nargs, *want);
	devsel_take(&sel, *want, chosen);
	for (i = 0; i < devs.n; i++) {
		if ((*want)[i])
			read_driver(&devs.dev[i], PCIDEV_DRIVER | PCIDEV_RESET);
		else if (chosen[i])
			read_driver(&devs.dev[i], PCIDEV_DRIVER);
	}
	hostuse_scan(&inuse, &devs);
	for (i = 0; i < devs.n; i++) {
		char slot[PCI_ADDR_LEN];
		size_t len = strlen(vm_slots);

		if ((*want)[i])
			snprintf(vm_slots + len, sizeof(vm_slots) - len, "%s%s", len ? " " : "",
				 pcidev_slot(&devs, &devs.dev[i], slot));
	}
	return n;
}

/* What the host runs and will boot: the IOMMU, command lines, modprobe.d, vfio-pci.ids. */
static void load_host(void)
{
	host_iommu_read(&host);
	have_cmdline = proc_cmdline_read(&cmdline) == 0;
	load_boot_config();
	boot_cmdlines_read(&bootlines);
	collect_ids();
}

static void check_host(void)
{
	check_cpu();
	check_iommu();
	check_cmdline();
	check_boot_cmdline();
	check_vfio();
	check_vfio_options();
	check_vfio_ids();
	check_initramfs();
	if (have_dom) {
		check_domain();
		check_hostdev_missing();
		check_hostdev_renumbered();
	}
}

static void check_devices(const bool *want, size_t n)
{
	size_t i;

	if (!n)
		check_no_device();
	for (i = 0; i < devs.n; i++)
		if (want[i])
			check_device(&devs.dev[i]);
}

static void unload(bool *want)
{
	free(want);
	free(chosen);
	group_why_free();
	boot_vga_free();
	hostuse_free(&inuse);
	devsel_free(&sel);
	pcidev_chain_free(&by_id);
	ids_sources_free();
	unload_domain();
	vfioconf_free(&persisted);
	if (have_modconf)
		modprobe_conf_free(&modconf);
	boot_cmdlines_free(&bootlines);
	kcmdline_free(&cmdline);
	pcidevs_free(&devs);
}

/* The command line again with standard input for --xml FILE (XML): the pipeline from virsh. */
static char *xml_from_stdin(int argc, char **argv, const char *xml)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	strbuf_addstr(&sb, "passcheck");
	for (i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);
		/* --xml=FILE, or FILE after --xml */
		char *word = xml > argv[i] && xml <= argv[i] + n ?
			     xasprintf("%.*s-", (int)(xml - argv[i]), argv[i]) :
			     xstrdup(xml == argv[i] ? "-" : argv[i]);
		char *q = xmalloc(SHQUOTE_SIZE(strlen(word)));

		strbuf_addf(&sb, " %s", shquote(word, q, SHQUOTE_SIZE(strlen(word))));
		free(q);
		free(word);
	}
	return strbuf_detach(&sb, NULL);
}

int main(int argc, char **argv)
{
	const char *root = NULL, *xml = NULL, *ids = NULL;
	bool json = false, *want;
	size_t n;

	prog_init();
	parse_options(argc, argv, &json, &xml, &root, &ids);
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	if (xml) {
		char *tail = xml_from_stdin(argc, argv, xml);

		load_domain(xml, tail);
		free(tail);
	}
	/* lspci's habit: a root without pci.ids still shows names. */
	pcidevs_use_ids(ids);
	n = load_devices(argv + optind, (size_t)(argc - optind), &want);
	load_host();

	out_init(&out, stdout, json);
	out_object_begin(&out, NULL);
	out_array_begin(&out, "checks");
	check_host();
	check_devices(want, n);
	out_array_end(&out);
	out_uint(&out, "pass", NULL, counts[PASS]);
	out_uint(&out, "warn", NULL, counts[WARN]);
	out_uint(&out, "fail", NULL, counts[FAIL]);
	out_uint(&out, "skip", NULL, counts[SKIP]);
	out_object_end(&out);
	out_finish(&out);

	unload(want);
	return counts[FAIL] ? EXIT_NOTMET : EXIT_OK;
}
