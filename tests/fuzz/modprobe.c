/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modprobe.d as kmod reads it, and the block vfio-bind --persist keeps in
 * /etc/modprobe.d/vfio.conf.  Parts: /etc/modprobe.d/fuzz.conf,
 * /usr/lib/modprobe.d/fuzz.conf (masked by the first), and
 * /lib/modprobe.d/other.conf.
 *
 * Properties: no line of a masked file is read; every line read has a
 * command and a module, a module name with '_' for '-' (an alias's
 * pattern aside), the rest of the line with white space folded.  For the
 * first file read as vfio.conf: rendering its block again and reading
 * it back gives the same devices, and rendering that changes nothing;
 * adding a device and taking it out again leaves the same text as taking
 * it out of the original; a file without a block gets back its bytes
 * when the block added to it is dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "kmod/modprobe.h"
#include "kmod/vfioconf.h"

static const char *const files[] = {
	"/etc/modprobe.d/fuzz.conf", "/usr/lib/modprobe.d/fuzz.conf", "/lib/modprobe.d/other.conf",
};

static void check_conf(void)
{
	struct modprobe_conf c;
	size_t i;

	if (modprobe_conf_load(&c) < 0)
		return;
	for (i = 0; i < c.n; i++) {
		const struct modprobe_line *l = &c.v[i];
		size_t n = strlen(l->rest);

		CHECK(strcmp(l->file, files[1]));
		CHECK(!strcmp(l->file, files[0]) || !strcmp(l->file, files[2]));
		CHECK(l->lineno >= 1 && l->cmd[0] && l->cmd[0] != '#' && l->module[0]);
		CHECK(!strpbrk(l->cmd, " \t") && !strpbrk(l->module, " \t"));
		CHECK(!strcmp(l->cmd, "alias") || !strchr(l->module, '-'));
		CHECK(!strchr(l->rest, '\t') && (n == 0 || (l->rest[0] != ' ' && l->rest[n - 1] != ' ')));
		/* An alias's pattern keeps its '-', and no tool looks one up by name. */
		CHECK(!strcmp(l->cmd, "alias") || modprobe_find(&c, l->cmd, l->module) != NULL);
	}
	modprobe_conf_free(&c);
}

static bool same_devices(const struct vfio_persist *a, const struct vfio_persist *b)
{
	size_t i;

	if (a->n != b->n || a->ignore_msrs != b->ignore_msrs)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, b->v[i].name) || a->v[i].vendor != b->v[i].vendor ||
		    a->v[i].device != b->v[i].device || strcmp(a->v[i].module, b->v[i].module) ||
		    a->v[i].by_address != b->v[i].by_address)
			return false;
	return true;
}

static void check_block(const char *text, bool by_address)
{
	struct vfio_entry gpu = { "0000:01:00.0", 0x10de, 0x1b80, "nouveau", by_address };
	struct vfio_persist p, again, none = { NULL, 0, false };
	const char *why;
	char *t1, *t2, *gone, *dropped, *back;

	if (vfioconf_parse(text, &p, &why) < 0) {
		CHECK(why && why[0]);
		return;
	}
	t1 = fuzz_nonnull(vfioconf_render(text, &p));
	CHECK(vfioconf_parse(t1, &again, &why) == 0);
	CHECK(same_devices(&p, &again));
	t2 = fuzz_nonnull(vfioconf_render(t1, &again));
	CHECK(!strcmp(t1, t2));
	free(t2);
	vfioconf_free(&again);

	gone = fuzz_nonnull(vfioconf_render(text, &none));
	if (vfioconf_find(&p, gpu.name) < 0) {
		bool had = p.n > 0 || p.ignore_msrs;

		vfioconf_set(&p, &gpu);
		t2 = fuzz_nonnull(vfioconf_render(text, &p));
		CHECK(vfioconf_parse(t2, &again, &why) == 0);
		CHECK(same_devices(&p, &again));
		vfioconf_remove(&again, gpu.name);
		vfioconf_remove(&p, gpu.name);
		CHECK(same_devices(&p, &again));
		back = fuzz_nonnull(vfioconf_render(t2, &again));
		free(t2);
		t2 = fuzz_nonnull(vfioconf_render(text, &p));
		CHECK(!strcmp(back, t2));
		vfioconf_free(&again);
		free(back);
		if (!had) {
			dropped = fuzz_nonnull(vfioconf_render(t1, &none));
			CHECK(!strcmp(dropped, gone));
			if (!strstr(text, VFIOCONF_BEGIN))
				CHECK(!strcmp(gone, text));
			free(dropped);
		}
		free(t2);
	}
	free(gone);
	free(t1);
	vfioconf_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parts p;
	size_t i;

	fuzz_root();
	fuzz_root_clear();
	parts_split(&p, data, size, 3);
	for (i = 0; i < p.n; i++)
		fuzz_root_put(files[i], p.s[i], p.len[i]);
	check_conf();
	/*
	 * A last line without its line break gets one before a block added
	 * after it, and keeps it when the block goes: kmod reads the file the
	 * same either way.  So the text starts with one.
	 */
	if (p.len[0] && p.s[0][p.len[0] - 1] != '\n') {
		p.s[0] = fuzz_nonnull(realloc(p.s[0], p.len[0] + 2));
		memcpy(p.s[0] + p.len[0]++, "\n", 2);
	}
	check_block(p.s[0], size & 1);
	parts_free(&p);
	return 0;
}
