/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vfio-bind --persist: the boot configuration in modprobe.d. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/command.h"
#include "base/configfile.h"
#include "base/edit.h"
#include "base/prog.h"
#include "base/report.h"
#include "base/root.h"
#include "base/shquote.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "initramfs/initramfs.h"
#include "kmod/kmodules.h"
#include "kmod/modprobe.h"
#include "kmod/vfioconf.h"
#include "kmod/vfioids.h"
#include "kmod/vfiopaths.h"
#include "vfio-bind.h"
#include "base/banned.h"

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
	if (d->driver[0] && !devsel_on_vfio(d) && strcmp(d->driver, "pci-stub")) {
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
	char *ids;
	size_t i;

	if (modprobe_conf_load(&mc) < 0)
		return true;
	for (i = 0; i < mc.n; i++) {
		const struct modprobe_line *l = &mc.v[i];

		if (!(ids = vfio_ids_of_line(l)))
			continue;
		free(ids);
		if (!strcmp(l->file, VFIO_MODPROBE_CONF) && conftext && vfioconf_in_block(conftext, l->lineno))
			continue;
		warnx("'%s' line %u already sets vfio-pci ids (%s); remove that line, "
		      "then run this again", root_show(l->file), l->lineno, l->rest);
		found = true;
	}
	modprobe_conf_free(&mc);
	return found;
}

/*
 * After binding at boot: initramfs-vfio on the same system (with its
 * --root), so that the image loads vfio-pci and this file early; then a
 * reboot.
 */
static void next_install(void)
{
	size_t size = SHQUOTE_SIZE(strlen(root_prefix()));
	char *buf = xmalloc(size), *line;

	if (*root_prefix())
		line = xasprintf("initramfs-vfio --root %s", shquote(root_prefix(), buf, size));
	else
		line = xstrdup("initramfs-vfio");
	printf("Next: %s, so that vfio-pci and this configuration load early from the "
	       "initramfs; then reboot.\n", line);
	report_command(line);
	report_reboot();
	free(line);
	free(buf);
}

/*
 * After an undo: the images still hold the file as it was, and bind what
 * it said until they are rebuilt.  Not initramfs-vfio, which would set
 * the generator up where nobody had: each installed generator's own
 * rebuild (a tree without its programs: each one configured there), run
 * inside the system (chroot DIR) as initramfs-vfio prints it.
 */
static void next_undo(void)
{
	bool found = false, any = false;
	int g, pass;

	for (pass = 0; pass < 2 && !found; pass++) {
		for (g = 0; g < GEN_COUNT; g++) {
			struct initramfs_cmds cmds = INITRAMFS_CMDS_INIT;
			size_t i;

			if (!(pass ? initramfs_gen_config(g) : initramfs_gen_program(g)))
				continue;
			if (!found)
				printf("Next: rebuild the initramfs images, so that they no longer bind "
				       "what was removed; then reboot:\n");
			found = true;
			initramfs_regen_commands(g, &cmds);
			for (i = 0; i < cmds.n; i++) {
				cmd_print(stdout, "  ", cmds.v[i].argv);
				cmd_report(cmds.v[i].argv);
				any = true;
			}
			initramfs_cmds_free(&cmds);
		}
	}
	if (!any)
		printf("Next: no initramfs generator in '%s'; if the initramfs holds '%s', "
		       "rebuild it; then reboot.\n", root_show("/"), VFIO_MODPROBE_CONF);
	report_reboot();
}

int persist(const struct opts *o, const bool *take)
{
	struct edit_opts eo = { o->check ? EDIT_CHECK : o->dry_run ? EDIT_DRY_RUN : EDIT_WRITE, o->backup };
	struct vfio_persist p;
	struct strbuf ids = STRBUF_INIT;
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
	    module_builtin(release, DEVSEL_VFIO_DRIVER) == 1) {
		warnx("vfio-pci is built into kernel %s: modprobe.d options never reach it", release);
		for (i = 0; i < devs.n; i++)
			if (take[i])
				pci_ids_add(&ids, ids.len > 0, devs.dev[i].vendor, devs.dev[i].device);
		fprintf(stderr, "Put the IDs on the kernel command line instead:\n"
			"  kcmdline-edit --add vfio-pci.ids=%s\n", ids.buf);
		strbuf_release(&ids);
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
		vfioconf_set(&p, &e);
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
				if (!o->check && !o->unbind) {
					printf("%s: %04x:%04x is also the ID of %s, which stays on the host: "
					       "bound by address at boot\n", p.v[i].name, p.v[i].vendor,
					       p.v[i].device, devs.dev[j].name);
					report_warned("%s: %04x:%04x is also the ID of %s, which stays on "
						      "the host: bound by address at boot", p.v[i].name,
						      p.v[i].vendor, p.v[i].device, devs.dev[j].name);
				}
				break;
			}
	}
	conf = vfioconf_render(text, &p);
	/* A file that held only the block goes with it. */
	if (!conf[strspn(conf, " \t\n")]) {
		free(conf);
		conf = NULL;
	}
	r = edit_apply(&eo, VFIO_MODPROBE_CONF, text, len, conf, conf ? strlen(conf) : 0, 0644);
	if (r >= 0) {
		if (o->check)
			ret = r ? EXIT_NOTMET : EXIT_OK;
		else
			ret = EXIT_OK;
		if (eo.mode == EDIT_WRITE) {
			if (r) {
				printf("%s '%s'\n", conf ? "updated" : "removed",
				       root_show(VFIO_MODPROBE_CONF));
				if (o->unbind)
					next_undo();
				else
					next_install();
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

int boot_bindings(struct boot_bind *b, struct modprobe_conf *mc)
{
	const struct modprobe_line *idline = NULL, *hook = NULL;
	struct vfio_persist p = { NULL, 0, false };
	const char *why;
	char *ids, *text;
	size_t i, len;
	long k;

	for (i = 0; i < devs.n; i++)
		b[i].how = BOOT_NO;
	if (modprobe_conf_load(mc) < 0)
		return -1;
	text = config_read(VFIO_MODPROBE_CONF, &len);
	if (!text && errno != ENOENT)
		return -1;
	if (vfioconf_parse(text, &p, &why) < 0) {
		warnx("could not parse '%s': %s", root_show(VFIO_MODPROBE_CONF), why);
		free(text);
		return -1;
	}
	for (i = 0; i < mc->n; i++)
		if (!strcmp(mc->v[i].cmd, "install") && !strcmp(mc->v[i].module, "vfio_pci") &&
		    !strcmp(mc->v[i].file, VFIO_MODPROBE_CONF) && text &&
		    vfioconf_in_block(text, mc->v[i].lineno))
			hook = &mc->v[i];
	/* The hook sets driver_override only while the address holds the recorded ID. */
	for (i = 0; i < devs.n && hook; i++) {
		k = vfioconf_find(&p, devs.dev[i].name);
		if (k < 0 || !p.v[k].by_address || p.v[k].vendor != devs.dev[i].vendor ||
		    p.v[k].device != devs.dev[i].device)
			continue;
		b[i].how = BOOT_ADDRESS;
		b[i].file = hook->file;
		b[i].line = hook->lineno;
	}
	ids = vfio_ids_modprobe(mc, &idline);
	for (i = 0; i < devs.n && ids; i++) {
		if (b[i].how != BOOT_NO || !vfio_ids_match(ids, &devs.dev[i]))
			continue;
		b[i].how = BOOT_IDS;
		b[i].file = idline->file;
		b[i].line = idline->lineno;
		snprintf(b[i].ids, sizeof(b[i].ids), "%s", ids);
	}
	free(ids);
	vfioconf_free(&p);
	free(text);
	return 0;
}

/*
 * --persist --now: the sysfs change first, then the file, so that a bind
 * the kernel refuses (and which bind_now() has undone) leaves the boot
 * configuration as it was instead of binding at the next boot what did
 * not bind now.
 */
int now_then_persist(const struct opts *o, const bool *take,
		     int (*now)(const struct opts *, const bool *))
{
	int ret = now(o, take);

	if (ret != EXIT_OK) {
		report_warn("'%s' left as it was: the devices did not %s now",
			    root_show(VFIO_MODPROBE_CONF), now == bind_now ? "bind" : "all unbind");
		return ret;
	}
	ret = persist(o, take);
	if (ret != EXIT_OK)
		report_warn("the devices stay %s until reboot, but '%s' does not say so",
			    now == bind_now ? "on vfio-pci" : "off vfio-pci", root_show(VFIO_MODPROBE_CONF));
	return ret;
}

