/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "kmod/kmodules.h"
#include "kmod/vfioconf.h"
#include "kmod/vfiopaths.h"
#include "base/banned.h"

#define DEVICE_TAG "# device "

static int parse_entry(const char *line, struct vfio_entry *e)
{
	char name[64], id[16], module[64], mode[16];
	struct pci_addr a;
	struct pci_id pid;
	const char *why;
	int n;

	memset(e, 0, sizeof(*e));
	n = sscanf(line, DEVICE_TAG "%63s %15s %63s %15s", name, id, module, mode);
	if (n < 3 || pci_addr_parse(name, &a, &why) < 0 || pci_id_parse(id, &pid, &why) < 0)
		return -1;
	if (n == 4 && strcmp(mode, "address"))
		return -1;
	pci_addr_format(&a, e->name);
	e->vendor = pid.vendor;
	e->device = pid.device;
	snprintf(e->module, sizeof(e->module), "%s", strcmp(module, "-") ? module : "");
	e->by_address = n == 4;
	return 0;
}

int vfioconf_parse(const char *text, struct vfio_persist *p, const char **why)
{
	const char *line, *next;
	bool in = false, seen = false;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	for (line = text; line && *line; line = next) {
		char buf[512];
		size_t len;

		next = strchr(line, '\n');
		len = next ? (size_t)(next - line) : strlen(line);
		if (next)
			next++;
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (!strncmp(buf, VFIOCONF_BEGIN, strlen(VFIOCONF_BEGIN))) {
			if (seen) {
				*why = "two vfio-bind blocks";
				goto fail;
			}
			in = seen = true;
		} else if (!strcmp(buf, VFIOCONF_END)) {
			if (!in) {
				*why = "a vfio-bind block end without its beginning";
				goto fail;
			}
			in = false;
		} else if (in && !strncmp(buf, DEVICE_TAG, strlen(DEVICE_TAG))) {
			struct vfio_entry e;

			if (parse_entry(buf, &e) < 0) {
				*why = "a malformed device line in the vfio-bind block";
				goto fail;
			}
			vfioconf_set(p, &e);
		} else if (in && !strcmp(buf, "options kvm ignore_msrs=1")) {
			p->ignore_msrs = true;
		}
	}
	if (in) {
		*why = "a vfio-bind block without its end";
		goto fail;
	}
	return 0;
fail:
	vfioconf_free(p);
	return -1;
}

bool vfioconf_in_block(const char *text, unsigned int lineno)
{
	const char *line, *next;
	unsigned int n = 0;
	bool in = false;

	for (line = text; line && *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		n++;
		if (!strncmp(line, VFIOCONF_BEGIN, strlen(VFIOCONF_BEGIN)))
			in = true;
		if (n == lineno)
			return in;
		if (!strncmp(line, VFIOCONF_END, strlen(VFIOCONF_END)))
			in = false;
	}
	return false;
}

void vfioconf_free(struct vfio_persist *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

long vfioconf_find(const struct vfio_persist *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].name, name))
			return (long)i;
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct vfio_entry *)a)->name, ((const struct vfio_entry *)b)->name);
}

void vfioconf_set(struct vfio_persist *p, const struct vfio_entry *e)
{
	long i = vfioconf_find(p, e->name);

	if (i >= 0) {
		p->v[i] = *e;
		return;
	}
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = *e;
	qsort(p->v, p->n, sizeof(*p->v), by_name);
}

void vfioconf_remove(struct vfio_persist *p, const char *name)
{
	long i = vfioconf_find(p, name);

	if (i < 0)
		return;
	memmove(&p->v[i], &p->v[i + 1], (p->n - (size_t)i - 1) * sizeof(*p->v));
	p->n--;
}

static void render_block(struct strbuf *sb, const struct vfio_persist *p)
{
	bool any_id = false, any_addr = false;
	size_t i, j;

	strbuf_addf(sb, "%s (written by vfio-bind --persist; undo with vfio-bind --unbind --persist)\n",
	    VFIOCONF_BEGIN);
	for (i = 0; i < p->n; i++) {
		strbuf_addf(sb, DEVICE_TAG "%s %04x:%04x %s%s\n", p->v[i].name, p->v[i].vendor,
		    p->v[i].device, p->v[i].module[0] ? p->v[i].module : "-",
		    p->v[i].by_address ? " address" : "");
		any_id |= !p->v[i].by_address;
		any_addr |= p->v[i].by_address;
	}
	if (any_id) {
		size_t ids;

		strbuf_addstr(sb, "options vfio-pci ids=");
		ids = sb->len;
		for (i = 0; i < p->n; i++) {
			if (p->v[i].by_address)
				continue;
			/* One ID once, even for several functions with it. */
			for (j = 0; j < i; j++)
				if (!p->v[j].by_address && p->v[j].vendor == p->v[i].vendor &&
				    p->v[j].device == p->v[i].device)
					break;
			if (j < i)
				continue;
			pci_ids_add(sb, sb->len > ids, p->v[i].vendor, p->v[i].device);
		}
		strbuf_addch(sb, '\n');
	}
	/* A function's module field lists every module that could claim it. */
	for (i = 0; i < p->n; i++) {
		const char *m = p->v[i].module;

		while (*m) {
			char one[sizeof(p->v[i].module)];
			size_t n = strcspn(m, ",");

			snprintf(one, sizeof(one), "%.*s", (int)n, m);
			m += n;
			if (*m)
				m++;
			if (!*one || !strcmp(one, "vfio_pci") || module_in_list(m, one))
				continue;
			for (j = 0; j < i; j++)
				if (module_in_list(p->v[j].module, one))
					break;
			if (j == i)
				strbuf_addf(sb, "softdep %s pre: vfio-pci\n", one);
		}
	}
	/*
	 * The functions to take by address are claimed in the install command
	 * itself, so that the whole boot configuration is this one file: it
	 * changes in one rename and reaches the initramfs with modprobe.d.
	 * Each is claimed only while its address still holds its ID.
	 */
	if (any_addr) {
		strbuf_addf(sb, "install vfio-pci for a in");
		for (i = 0; i < p->n; i++)
			if (p->v[i].by_address)
				strbuf_addf(sb, " %s=0x%04x:0x%04x", p->v[i].name, p->v[i].vendor,
				    p->v[i].device);
		strbuf_addf(sb, "; do d=/sys/bus/pci/devices/${a%%=*}; "
		    "[ \"$(cat $d/vendor 2>/dev/null):$(cat $d/device 2>/dev/null)\" = \"${a#*=}\" ] && "
		    "echo vfio-pci >$d/driver_override; done; "
		    "/sbin/modprobe --ignore-install vfio-pci $CMDLINE_OPTS\n");
	}
	if (p->ignore_msrs)
		strbuf_addf(sb, "options kvm ignore_msrs=1\n");
	strbuf_addf(sb, "%s\n", VFIOCONF_END);
}

char *vfioconf_render(const char *text, const struct vfio_persist *p)
{
	const char *begin = NULL, *end = NULL, *line, *next;
	struct strbuf sb = STRBUF_INIT;
	bool want = p->n > 0 || p->ignore_msrs;

	if (!text)
		text = "";
	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (!begin && !strncmp(line, VFIOCONF_BEGIN, strlen(VFIOCONF_BEGIN)))
			begin = line;
		else if (begin && !end && !strncmp(line, VFIOCONF_END, strlen(VFIOCONF_END)) &&
			 (line[strlen(VFIOCONF_END)] == '\n' || !line[strlen(VFIOCONF_END)]))
			/* The whole line, as vfioconf_parse() reads it. */
			end = next;
	}
	if (begin && end) {
		strbuf_add(&sb, text, (size_t)(begin - text));
		if (want)
			render_block(&sb, p);
		strbuf_addstr(&sb, end);
	} else {
		strbuf_addstr(&sb, text);
		if (want) {
			if (sb.len && sb.buf[sb.len - 1] != '\n')
				strbuf_addch(&sb, '\n');
			render_block(&sb, p);
		}
	}
	return strbuf_detach(&sb, NULL);
}
