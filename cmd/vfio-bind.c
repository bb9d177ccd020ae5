/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio-bind - put every function of a device's IOMMU group on vfio-pci,
 * now (sysfs) or at every boot (modprobe.d), and give them back
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
#include "base/configfile.h"
#include "base/edit.h"
#include "pci/hostuse.h"
#include "kmod/kmodules.h"
#include "kmod/modprobe.h"
#include "base/output.h"
#include "pci/pcidev.h"
#include "base/prog.h"
#include "base/root.h"
#include "pci/sysfsbind.h"
#include "kmod/vfioconf.h"
#include "kmod/vfiopaths.h"

#define VFIO_DRIVER "vfio-pci"

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
	{ "json",	no_argument,		NULL, 'J' },
	{ "root",	required_argument,	NULL, OPT_ROOT },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static noreturn void usage(void)
{
	printf("Usage: %s [options] DEVICE...\n"
	       "       %s --list [-J]\n"
	       "\n"
	       "Put every function of DEVICE's IOMMU group on vfio-pci, now or at every boot.\n"
	       "DEVICE is a PCI address ([domain:]bus:slot.func) or a vendor:device ID\n"
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
	       "      --backup        keep FILE.bak of each configuration file replaced\n"
	       "      --list          list the devices on vfio-pci or with a driver_override\n"
	       "  -J, --json          with --list: print JSON\n"
	       "      --root DIR      work on the system under DIR\n"
	       "  -h, --help          show this help and exit\n"
	       "  -V, --version       show the version and exit\n"
	       "\n"
	       "Exit status: 0 done (or nothing to do), 1 refused, failed or check not met,\n"
	       "2 usage error.\n",
	       prog_name(), prog_name());
	exit(EXIT_OK);
}

struct opts {
	bool dry_run, check, unbind, persist, now, list, force, ignore_msrs, backup, json;
};

static struct pcidevs devs;
static struct hostuse inuse;

/* Resolve an argument to a device index; exits on bad input. */
static size_t resolve(const char *arg)
{
	struct pci_addr a;
	struct pci_id id;
	const char *why;
	long found = -1;
	size_t i, n = 0;
	char line[1024];

	if (pci_addr_parse(arg, &a, &why) == 0) {
		found = pcidevs_find(&devs, &a);
		if (found < 0)
			errx(EXIT_FAIL, "no PCI device at '%s' in '%s'", arg,
			     root_show("/sys/bus/pci/devices"));
		return (size_t)found;
	}
	if (strchr(arg, '.') || strchr(arg, '/') || pci_id_parse(arg, &id, &why) < 0)
		usage_error("invalid device '%s': expected [domain:]bus:slot.func or vendor:device", arg);
	for (i = 0; i < devs.n; i++)
		if (devs.dev[i].vendor == id.vendor && devs.dev[i].device == id.device) {
			if (found < 0)
				found = (long)i;
			n++;
		}
	if (n == 0)
		errx(EXIT_FAIL, "no PCI device with ID '%s'", arg);
	if (n > 1) {
		warnx("%zu devices have ID '%s'; name one by address:", n, arg);
		for (i = 0; i < devs.n; i++)
			if (devs.dev[i].vendor == id.vendor && devs.dev[i].device == id.device)
				fprintf(stderr, "  %s\n", pcidev_describe(&devs, &devs.dev[i], line, sizeof(line)));
		exit(EXIT_FAIL);
	}
	return (size_t)found;
}

static bool is_vfio(const char *driver)
{
	return !strcmp(driver, VFIO_DRIVER);
}

static bool target_slot(const struct pcidev *m, const size_t *targets, size_t ntargets)
{
	size_t u;

	for (u = 0; u < ntargets; u++)
		if (pcidev_same_slot(m, &devs.dev[targets[u]]))
			return true;
	return false;
}

/*
 * The functions to bind for the targets: every function of the targets'
 * cards (an HDMI audio function may sit in a group of its own) and every
 * non-bridge member of their groups.  Refusals are printed; returns false
 * when something refuses and --force was not given.
 */
static bool collect(const struct opts *o, const size_t *targets, size_t ntargets, bool *take)
{
	char line[1024];
	bool ok = true;
	size_t t, i, j;

	if (pcidevs_grouped(&devs) == 0) {
		warnx("no IOMMU groups in '%s': the IOMMU is off; passcheck tells why and what to do",
		      root_show("/sys/kernel/iommu_groups"));
		if (!o->force)
			return false;
	}
	for (t = 0; t < ntargets; t++) {
		const struct pcidev *d = &devs.dev[targets[t]];

		if (pcidev_is_bridge(d)) {
			warnx("%s is a PCI bridge: vfio-pci does not take bridges; name the device behind it",
			      d->name);
			ok = false;
			take[targets[t]] = true;
		} else if (pcidev_left_out(d)) {
			warnx("%s is a host bridge no driver claims: vfio-pci does not take it; "
			      "name the device to pass through", d->name);
			ok = false;
			take[targets[t]] = true;
		}
	}
	for (i = 0; i < devs.n; i++)
		if (!pcidev_left_out(&devs.dev[i]) && target_slot(&devs.dev[i], targets, ntargets))
			take[i] = true;
	for (i = 0; i < devs.n; i++) {
		const struct pcidev *d = &devs.dev[i];

		if (!take[i] || d->group < 0 || !target_slot(d, targets, ntargets))
			continue;
		for (j = 0; j < devs.n; j++) {
			const struct pcidev *m = &devs.dev[j];

			if (m->group != d->group || pcidev_left_out(m) || take[j])
				continue;
			take[j] = true;
			warnx("IOMMU group %ld of %s also holds %s, %s", d->group, d->name,
			      pcidev_describe(&devs, m, line, sizeof(line)),
			      m->driver[0] ? m->driver : "no driver");
			ok = false;
		}
	}
	for (i = 0; i < devs.n; i++) {
		if (take[i] && devs.dev[i].boot_vga == 1) {
			warnx("%s is the boot VGA device: the firmware and the console use it, "
			      "and the host may have no display left", devs.dev[i].name);
			ok = false;
		}
	}
	/* The host's root, swap, network or chipset: taking it breaks the host. */
	for (i = 0; i < devs.n; i++) {
		const struct hostuse_item *u;
		size_t n, k;

		if (!take[i] || !(u = hostuse_find(&inuse, &devs.dev[i], &n)))
			continue;
		for (k = 0; k < n; k++)
			warnx("%s is in use by the host: %s", devs.dev[i].name, u[k].text);
		ok = false;
	}
	if (!ok && !o->force) {
		fprintf(stderr, "%s: nothing changed; --force binds anyway\n", prog_name());
		return false;
	}
	return true;
}

/* modprobe vfio-pci, for the running system only. */
static int load_vfio(const struct opts *o)
{
	static char prog[] = "modprobe", module[] = VFIO_DRIVER;
	char *argv[] = { prog, module, NULL };
	int r;

	if (pci_driver_registered(VFIO_DRIVER))
		return 0;
	if (*root_prefix()) {
		warnx("vfio-pci is not loaded in '%s' and cannot be loaded for another root",
		      root_show("/sys/bus/pci/drivers"));
		return -1;
	}
	if (o->dry_run) {
		cmd_print(stdout, "", argv);
		return 0;
	}
	r = cmd_run(argv);
	if (r < 0)
		return -1;
	if (r > 0 || !pci_driver_registered(VFIO_DRIVER)) {
		warnx("could not load vfio-pci ('modprobe %s' failed)", VFIO_DRIVER);
		return -1;
	}
	return 0;
}

static int bind_now(const struct opts *o, const bool *take)
{
	size_t i, j;
	long group = -1;

	for (i = 0; i < devs.n; i++)
		if (take[i] && !is_vfio(devs.dev[i].driver))
			break;
	if (o->check)
		return i == devs.n ? EXIT_OK : EXIT_FAIL;
	if (i < devs.n && load_vfio(o) < 0)
		return EXIT_FAIL;
	for (i = 0; i < devs.n; i++) {
		struct pcidev *d = &devs.dev[i];

		if (!take[i])
			continue;
		group = d->group;
		if (is_vfio(d->driver)) {
			if (!o->dry_run)
				printf("%s: already on %s\n", d->name, VFIO_DRIVER);
			continue;
		}
		if (pci_bind_driver(d, VFIO_DRIVER, o->dry_run) < 0) {
			/* Give back what this run took, so the group is not left half bound. */
			for (j = 0; j < i; j++) {
				char now[64];

				if (take[j] && !is_vfio(devs.dev[j].driver) &&
				    pci_release(&devs.dev[j], false, now, sizeof(now)) == 0)
					fprintf(stderr, "%s: given back to %s\n", devs.dev[j].name,
						now[0] ? now : "no driver");
			}
			fprintf(stderr, "%s: nothing left bound by this run\n", prog_name());
			return EXIT_FAIL;
		}
		if (!o->dry_run)
			printf("%s: %s -> %s\n", d->name, d->driver[0] ? d->driver : "no driver", VFIO_DRIVER);
	}
	if (!o->dry_run && group >= 0) {
		char dev[64];
		struct stat st;

		snprintf(dev, sizeof(dev), "/dev/vfio/%ld", group);
		if (root_stat(dev, &st) == 0)
			printf("IOMMU group %ld is ready for a VM: %s\n", group, dev);
	}
	return EXIT_OK;
}

static int unbind_now(const struct opts *o, const bool *take)
{
	int ret = EXIT_OK;
	size_t i;

	for (i = 0; i < devs.n; i++)
		if (take[i] && (is_vfio(devs.dev[i].driver) || devs.dev[i].override[0]))
			break;
	if (o->check)
		return i == devs.n ? EXIT_OK : EXIT_FAIL;
	for (i = 0; i < devs.n; i++) {
		struct pcidev *d = &devs.dev[i];
		char now[64];

		if (!take[i] || (!is_vfio(d->driver) && !d->override[0]))
			continue;
		if (pci_release(d, o->dry_run, now, sizeof(now)) < 0) {
			ret = EXIT_FAIL;
			continue;
		}
		if (o->dry_run)
			continue;
		if (now[0])
			printf("%s: %s -> %s\n", d->name, d->driver[0] ? d->driver : "no driver", now);
		else
			printf("%s: %s -> no driver (load the host driver for it, then: "
			       "echo %s > /sys/bus/pci/drivers_probe)\n", d->name,
			       d->driver[0] ? d->driver : "no driver", d->name);
	}
	return ret;
}

/*
 * The modules of the host drivers that could claim D at boot, comma-
 * separated, "" if unknown: the one bound now, and every module
 * modules.alias matches (nouveau and DKMS's nvidia; radeon and amdgpu),
 * since whichever loads first takes the device.
 */
static void host_module(const struct pcidev *d, const struct vfio_persist *old, char *buf, size_t size)
{
	char path[128], alias[256], release[128], more[256];
	long k;
	int fd;

	buf[0] = '\0';
	if (d->driver[0] && !is_vfio(d->driver) && strcmp(d->driver, "pci-stub")) {
		if (driver_module(d->driver, buf, size) < 0)
			buf[0] = '\0';
	}
	if (!buf[0]) {
		k = vfioconf_find(old, d->name);
		if (k >= 0 && old->v[k].module[0]) {
			snprintf(buf, size, "%s", old->v[k].module);
			return;
		}
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", d->name);
	fd = root_open(path, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return;
	if (attr_read(fd, "modalias", alias, sizeof(alias)) > 0 &&
	    kernel_release(release, sizeof(release)) == 0 &&
	    alias_module(release, alias, "vfio_pci", more, sizeof(more)) == 0) {
		const char *m = more;

		while (*m) {
			char one[64];
			size_t n = strcspn(m, ","), len = strlen(buf);

			snprintf(one, sizeof(one), "%.*s", (int)n, m);
			m += n;
			if (*m)
				m++;
			if (!module_in_list(buf, one) && len + (len ? 1 : 0) + strlen(one) < size)
				snprintf(buf + len, size - len, "%s%s", len ? "," : "", one);
		}
	}
	close(fd);
}

/* Options for vfio-pci ids= set outside our block would fight with it. */
static bool foreign_ids(const char *conftext)
{
	struct modprobe_conf mc;
	bool found = false;
	size_t i;

	if (modprobe_conf_load(&mc) < 0)
		return true;
	for (i = 0; i < mc.n; i++) {
		const struct modprobe_line *l = &mc.v[i];

		if (strcmp(l->cmd, "options") || strcmp(l->module, "vfio_pci") || !strstr(l->rest, "ids="))
			continue;
		if (!strcmp(l->file, VFIO_MODPROBE_CONF) && conftext && vfioconf_in_block(conftext, l->lineno))
			continue;
		warnx("'%s' line %u already sets vfio-pci ids (%s); remove that line, "
		      "then run this again", root_show(l->file), l->lineno, l->rest);
		found = true;
	}
	modprobe_conf_free(&mc);
	return found;
}

static int persist(const struct opts *o, const bool *take)
{
	struct edit_opts eo = { o->check ? EDIT_CHECK : o->dry_run ? EDIT_DRY_RUN : EDIT_WRITE, o->backup };
	struct vfio_persist p;
	const char *why;
	char *text, *conf, release[128];
	size_t i, j, len = 0;
	int r, ret = EXIT_FAIL;

	if (eo.mode == EDIT_WRITE && edit_lock(NULL) < 0)
		return EXIT_FAIL;
	text = config_read(VFIO_MODPROBE_CONF, &len);
	if (!text && errno != ENOENT)
		return EXIT_FAIL;
	if (vfioconf_parse(text, &p, &why) < 0) {
		warnx("could not parse '%s': %s", root_show(VFIO_MODPROBE_CONF), why);
		goto out_text;
	}
	if (!o->unbind && kernel_release(release, sizeof(release)) == 0 &&
	    module_builtin(release, VFIO_DRIVER) == 1) {
		warnx("vfio-pci is built into kernel %s: modprobe.d options never reach it", release);
		fprintf(stderr, "Put the IDs on the kernel command line instead:\n  kcmdline-edit --add vfio-pci.ids=");
		for (i = 0, j = 0; i < devs.n; i++)
			if (take[i])
				fprintf(stderr, "%s%04x:%04x", j++ ? "," : "", devs.dev[i].vendor, devs.dev[i].device);
		fputc('\n', stderr);
		goto out;
	}
	if (!o->unbind && foreign_ids(text))
		goto out;
	for (i = 0; i < devs.n; i++) {
		struct vfio_entry e = { 0 };

		if (!take[i])
			continue;
		if (o->unbind) {
			vfioconf_remove(&p, devs.dev[i].name);
			continue;
		}
		snprintf(e.name, sizeof(e.name), "%s", devs.dev[i].name);
		e.vendor = devs.dev[i].vendor;
		e.device = devs.dev[i].device;
		host_module(&devs.dev[i], &p, e.module, sizeof(e.module));
		if (vfioconf_set(&p, &e) < 0)
			err(EXIT_FAIL, "could not allocate memory");
	}
	if (o->ignore_msrs)
		p.ignore_msrs = true;
	/* Undoing the last device undoes the whole block. */
	if (o->unbind && p.n == 0)
		p.ignore_msrs = false;
	/* ids= takes every device with the ID: bind by address where the host keeps one. */
	for (i = 0; i < p.n; i++) {
		p.v[i].by_address = false;
		for (j = 0; j < devs.n; j++)
			if (devs.dev[j].vendor == p.v[i].vendor && devs.dev[j].device == p.v[i].device &&
			    vfioconf_find(&p, devs.dev[j].name) < 0) {
				p.v[i].by_address = true;
				if (!o->check && !o->unbind)
					printf("%s: %04x:%04x is also the ID of %s, which stays on the host: "
					       "bound by address at boot\n", p.v[i].name, p.v[i].vendor,
					       p.v[i].device, devs.dev[j].name);
				break;
			}
	}
	conf = vfioconf_render(text, &p);
	if (!conf)
		err(EXIT_FAIL, "could not allocate memory");
	/* A file that held only the block goes with it. */
	if (!conf[strspn(conf, " \t\n")]) {
		free(conf);
		conf = NULL;
	}
	r = edit_apply(&eo, VFIO_MODPROBE_CONF, text, len, conf, conf ? strlen(conf) : 0, 0644);
	if (r >= 0) {
		if (o->check)
			ret = r ? EXIT_FAIL : EXIT_OK;
		else
			ret = EXIT_OK;
		if (eo.mode == EDIT_WRITE) {
			if (r) {
				printf("%s '%s'\n", conf ? "updated" : "removed",
				       root_show(VFIO_MODPROBE_CONF));
				if (o->unbind)
					printf("Next: initramfs-vfio, so that the initramfs no longer holds "
					       "what was removed; then reboot.\n");
				else
					printf("Next: initramfs-vfio, so that vfio-pci and this configuration "
					       "load early from the initramfs; then reboot.\n");
			} else {
				printf("'%s' already says this; nothing changed\n",
				       root_show(VFIO_MODPROBE_CONF));
			}
		}
	}
	free(conf);
out:
	vfioconf_free(&p);
out_text:
	free(text);
	return ret;
}

/*
 * --persist --now: the sysfs change first, then the file, so that a bind
 * the kernel refuses (and which bind_now() has undone) leaves the boot
 * configuration as it was instead of binding at the next boot what did
 * not bind now.
 */
static int now_then_persist(const struct opts *o, const bool *take,
			    int (*now)(const struct opts *, const bool *))
{
	int ret = now(o, take);

	if (ret != EXIT_OK) {
		warnx("'%s' left as it was: the devices did not %s now",
		      root_show(VFIO_MODPROBE_CONF), now == bind_now ? "bind" : "all unbind");
		return ret;
	}
	ret = persist(o, take);
	if (ret != EXIT_OK)
		warnx("the devices stay %s until reboot, but '%s' does not say so",
		      now == bind_now ? "on vfio-pci" : "off vfio-pci", root_show(VFIO_MODPROBE_CONF));
	return ret;
}

static int list(const struct opts *o)
{
	struct out out;
	char line[1024];
	size_t i;

	out_init(&out, stdout, o->json);
	out_object_begin(&out, NULL);
	out_array_begin(&out, "devices");
	for (i = 0; i < devs.n; i++) {
		const struct pcidev *d = &devs.dev[i];

		if (!is_vfio(d->driver) && !d->override[0])
			continue;
		out_object_begin(&out, NULL);
		out_string(&out, "address", NULL, d->name);
		if (d->group >= 0)
			out_int(&out, "group", "IOMMU Group ", d->group);
		else
			out_null(&out, "group");
		out_text(&out, "%s", d->group >= 0 ? ": " : "");
		out_string(&out, "description", "", pcidev_describe(&devs, d, line, sizeof(line)));
		out_string(&out, "driver", " driver=", d->driver[0] ? d->driver : NULL);
		if (!d->driver[0])
			out_text(&out, " driver=-");
		out_string(&out, "driver_override", " override=", d->override[0] ? d->override : NULL);
		out_text(&out, "\n");
		out_object_end(&out);
	}
	out_array_end(&out);
	out_object_end(&out);
	out_finish(&out);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	const char *root = NULL;
	size_t *targets, i;
	bool *take;
	int c, ret;

	prog_init();
	while ((c = getopt_long(argc, argv, ":nJhV", longopts, NULL)) != -1) {
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
	if (o.list && optind < argc)
		usage_error("--list takes no devices");
	if (!o.list && optind == argc)
		usage_error("no device given");
	if (o.json && !o.list)
		usage_error("--json goes with --list");
	if (o.now && !o.persist)
		usage_error("--now goes with --persist");
	if (o.ignore_msrs && !o.persist)
		usage_error("--ignore-msrs goes with --persist");
	if (o.dry_run && o.check)
		usage_error("--dry-run and --check do not go together");
	if (root_init(root) < 0)
		err(EXIT_FAIL, "could not open root directory '%s'", root);
	if (pcidevs_scan(&devs, PCIDEV_ALL) < 0)
		return EXIT_FAIL;
	if (o.list) {
		ret = list(&o);
		pcidevs_free(&devs);
		return ret;
	}

	targets = calloc((size_t)(argc - optind), sizeof(*targets));
	take = calloc(devs.n ? devs.n : 1, sizeof(*take));
	if (!targets || !take)
		err(EXIT_FAIL, "could not allocate memory");
	for (i = 0; i < (size_t)(argc - optind); i++)
		targets[i] = resolve(argv[optind + (int)i]);
	if (o.unbind) {
		/* Giving back needs no checks: everything binding would have taken. */
		for (i = 0; i < devs.n; i++) {
			size_t j;

			if (!target_slot(&devs.dev[i], targets, (size_t)(argc - optind)) ||
			    pcidev_left_out(&devs.dev[i]))
				continue;
			take[i] = true;
			for (j = 0; j < devs.n; j++)
				if (devs.dev[i].group >= 0 && devs.dev[j].group == devs.dev[i].group &&
				    !pcidev_left_out(&devs.dev[j]))
					take[j] = true;
		}
		if (o.persist && o.now && !o.check && !o.dry_run)
			ret = now_then_persist(&o, take, unbind_now);
		else
			ret = o.persist ? persist(&o, take) : unbind_now(&o, take);
		if (ret == EXIT_OK && o.persist && o.now && !o.check && o.dry_run)
			ret = unbind_now(&o, take);
	} else if (hostuse_scan(&inuse, &devs) < 0) {
		err(EXIT_FAIL, "could not allocate memory");
	} else if (!collect(&o, targets, (size_t)(argc - optind), take)) {
		ret = EXIT_FAIL;
	} else if (o.persist && o.now && !o.check && !o.dry_run) {
		ret = now_then_persist(&o, take, bind_now);
	} else if (o.persist) {
		ret = persist(&o, take);
		if (ret == EXIT_OK && o.now)
			ret = bind_now(&o, take);
	} else {
		ret = bind_now(&o, take);
		if (ret == EXIT_OK && !o.dry_run && !o.check)
		{
			printf("This lasts until reboot; to bind at every boot: %s --persist", prog_name());
			for (i = (size_t)optind; i < (size_t)argc; i++)
				printf(" %s", argv[i]);
			putchar('\n');
		}
	}
	free(targets);
	free(take);
	hostuse_free(&inuse);
	pcidevs_free(&devs);
	return ret;
}
