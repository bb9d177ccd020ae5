/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vfio-bind now: the sysfs writes, and --list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/command.h"
#include "base/output.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/xalloc.h"
#include "kmod/modprobe.h"
#include "pci/sysfsbind.h"
#include "vfio-bind.h"
#include "base/banned.h"

/*
 * modprobe vfio-pci, for the running system only.  A dry run shows the
 * plan whatever is loaded: under another root, as a comment that the
 * system there loads vfio-pci first, its sysfs not being this kernel's.
 */
static int load_vfio(const struct opts *o)
{
	static char prog[] = "modprobe", module[] = DEVSEL_VFIO_DRIVER;
	char *argv[] = { prog, module, NULL };
	int r;

	if (pci_driver_registered(DEVSEL_VFIO_DRIVER))
		return 0;
	if (*root_prefix() && o->dry_run) {
		printf("# vfio-pci is not loaded in '%s': it would be loaded first (modprobe %s)\n",
		       root_show("/sys/bus/pci/drivers"), DEVSEL_VFIO_DRIVER);
		return 0;
	}
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
	if (r > 0 || !pci_driver_registered(DEVSEL_VFIO_DRIVER)) {
		warnx("could not load vfio-pci ('modprobe %s' failed)", DEVSEL_VFIO_DRIVER);
		return -1;
	}
	return 0;
}

/* --check: what binding (BIND) or giving back would do to each device. */
static void report_binding(const bool *take, bool bind)
{
	size_t i;

	for (i = 0; i < devs.n; i++) {
		const struct pcidev *d = &devs.dev[i];
		bool on = devsel_on_vfio(d);

		if (!take[i])
			continue;
		if (bind ? on : !on && !d->override[0]) {
			report_device(d->name, d->driver, d->driver, REPORT_UNCHANGED);
			continue;
		}
		report_device(d->name, d->driver, bind ? DEVSEL_VFIO_DRIVER : NULL,
			      bind ? REPORT_BOUND : REPORT_UNBOUND);
		report_changed();
	}
}

int bind_now(const struct opts *o, const bool *take)
{
	size_t i, j;
	long group = -1;

	for (i = 0; i < devs.n; i++)
		if (take[i] && !devsel_on_vfio(&devs.dev[i]))
			break;
	if (o->check) {
		report_binding(take, true);
		return i == devs.n ? EXIT_OK : EXIT_NOTMET;
	}
	if (i < devs.n && load_vfio(o) < 0)
		return EXIT_FAIL;
	for (i = 0; i < devs.n; i++) {
		struct pcidev *d = &devs.dev[i];

		if (!take[i])
			continue;
		group = d->group;
		if (devsel_on_vfio(d)) {
			report_device(d->name, d->driver, d->driver, REPORT_UNCHANGED);
			if (!o->dry_run)
				printf("%s: already on %s\n", d->name, DEVSEL_VFIO_DRIVER);
			continue;
		}
		report_device(d->name, d->driver, DEVSEL_VFIO_DRIVER, REPORT_BOUND);
		if (pci_bind_driver(d, DEVSEL_VFIO_DRIVER, o->dry_run) < 0) {
			/* Give back what this run took, so the group is not left half bound. */
			for (j = 0; j < i; j++) {
				char now[64];

				if (!take[j] || devsel_on_vfio(&devs.dev[j]))
					continue;
				if (pci_release(&devs.dev[j], false, now, sizeof(now)) == 0)
					fprintf(stderr, "%s: given back to %s\n", devs.dev[j].name,
						now[0] ? now : "no driver");
				else
					report_changed();
			}
			fprintf(stderr, "%s: nothing left bound by this run\n", prog_name());
			return EXIT_FAIL;
		}
		if (!o->dry_run)
			printf("%s: %s -> %s\n", d->name, d->driver[0] ? d->driver : "no driver", DEVSEL_VFIO_DRIVER);
	}
	for (i = 0; i < devs.n; i++)
		if (take[i] && !devsel_on_vfio(&devs.dev[i]))
			report_changed();
	if (!o->dry_run && group >= 0) {
		char dev[64];
		struct stat st;

		snprintf(dev, sizeof(dev), "/dev/vfio/%ld", group);
		if (root_stat(dev, &st) == 0)
			printf("IOMMU group %ld is ready for a VM: %s\n", group, dev);
	}
	return EXIT_OK;
}

int unbind_now(const struct opts *o, const bool *take)
{
	int ret = EXIT_OK;
	size_t i;

	for (i = 0; i < devs.n; i++)
		if (take[i] && (devsel_on_vfio(&devs.dev[i]) || devs.dev[i].override[0]))
			break;
	if (o->check) {
		report_binding(take, false);
		return i == devs.n ? EXIT_OK : EXIT_NOTMET;
	}
	for (i = 0; i < devs.n; i++) {
		struct pcidev *d = &devs.dev[i];
		char now[64] = "";

		if (!take[i])
			continue;
		if (!devsel_on_vfio(d) && !d->override[0]) {
			report_device(d->name, d->driver, d->driver, REPORT_UNCHANGED);
			continue;
		}
		if (pci_release(d, o->dry_run, now, sizeof(now)) < 0) {
			report_device(d->name, d->driver, NULL, REPORT_UNBOUND);
			ret = EXIT_FAIL;
			continue;
		}
		/* A dry run cannot know which driver would take it. */
		report_device(d->name, d->driver, o->dry_run ? NULL : now, REPORT_UNBOUND);
		report_changed();
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

/* One device of --list: its address, group and lspci line. */
static void list_device(struct out *out, const struct pcidev *d)
{
	char line[1024];

	out_string(out, "address", NULL, d->name);
	if (d->group >= 0)
		out_int(out, "group", "IOMMU Group ", d->group);
	else
		out_null(out, "group");
	out_text(out, "%s", d->group >= 0 ? ": " : "");
	out_string(out, "description", "", pcidev_describe(&devs, d, line, sizeof(line)));
}

int list_bound(const struct opts *o)
{
	struct modprobe_conf mc = { NULL, 0, 0 };
	struct boot_bind *boot = xcalloc(devs.n ? devs.n : 1, sizeof(*boot));
	struct out out;
	size_t i, listed = 0;

	if (boot_bindings(boot, &mc) < 0) {
		modprobe_conf_free(&mc);
		free(boot);
		return EXIT_FAIL;
	}
	out_init(&out, stdout, o->json);
	out_object_begin(&out, NULL);
	out_array_begin(&out, "devices");
	for (i = 0; i < devs.n; i++) {
		const struct pcidev *d = &devs.dev[i];

		if (!devsel_on_vfio(d) && !d->override[0])
			continue;
		out_object_begin(&out, NULL);
		list_device(&out, d);
		out_string(&out, "driver", " driver=", d->driver[0] ? d->driver : NULL);
		if (!d->driver[0])
			out_text(&out, " driver=-");
		out_string(&out, "driver_override", " override=", d->override[0] ? d->override : NULL);
		out_text(&out, "\n");
		out_object_end(&out);
		listed++;
	}
	out_array_end(&out);
	/* What kmod binds at the next boot, whatever is bound now. */
	out_array_begin(&out, "boot");
	for (i = 0; i < devs.n; i++) {
		const struct boot_bind *b = &boot[i];

		if (b->how == BOOT_NO)
			continue;
		out_object_begin(&out, NULL);
		out_text(&out, "At boot: ");
		list_device(&out, &devs.dev[i]);
		if (b->how == BOOT_IDS) {
			out_string(&out, "by", " by ", "ids");
			out_string(&out, "ids", "=", b->ids);
		} else {
			out_string(&out, "by", " by ", "address");
			out_string(&out, "ids", NULL, NULL);
		}
		/* The text names the file under the root, JSON as in the system. */
		out_string(&out, "file", " ('", o->json ? b->file : root_show(b->file));
		out_uint(&out, "line", "' line ", b->line);
		out_text(&out, ")\n");
		out_object_end(&out);
		listed++;
	}
	out_array_end(&out);
	out_object_end(&out);
	out_finish(&out);
	modprobe_conf_free(&mc);
	free(boot);
	return listed ? EXIT_OK : EXIT_NOTMET;
}
