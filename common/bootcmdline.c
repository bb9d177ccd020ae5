#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blsentry.h"
#include "bootcmdline.h"
#include "refindconf.h"
#include "root.h"
#include "shvar.h"

static int add(struct boot_cmdlines *l, enum boot_kind kind, const char *source,
	       const char *text, size_t len, const char *why)
{
	struct boot_cmdline *b;
	void *v = realloc(l->v, (l->n + 1) * sizeof(*l->v));

	if (!v)
		return -1;
	l->v = v;
	b = &l->v[l->n];
	b->kind = kind;
	b->source = strdup(source);
	b->text = text ? strndup(text, len) : NULL;
	b->why = why ? strdup(why) : NULL;
	if (!b->source || (text && !b->text) || (why && !b->why)) {
		free(b->source);
		free(b->text);
		free(b->why);
		return -1;
	}
	l->n++;
	return 0;
}

/* GRUB's default menu entry gets GRUB_CMDLINE_LINUX, then _DEFAULT. */
static int read_grub(struct boot_cmdlines *l, const char *text, size_t len)
{
	static const char *const vars[] = { "GRUB_CMDLINE_LINUX", "GRUB_CMDLINE_LINUX_DEFAULT" };
	char *line = NULL, *p;
	size_t n = 0, i;
	int r;

	for (i = 0; i < 2; i++) {
		struct shvar_error e;
		struct shvar *v = shvar_read(text, len, vars[i], &e);
		const char *val;
		size_t vlen;
		char why[320];

		if (!v) {
			free(line);
			snprintf(why, sizeof(why), "%s: %s", vars[i], e.why);
			return add(l, BOOT_GRUB, GRUB_DEFAULT_FILE, NULL, 0, why);
		}
		val = shvar_value(v, &vlen);
		p = realloc(line, n + vlen + 2);
		if (!p) {
			shvar_free(v);
			free(line);
			return -1;
		}
		line = p;
		if (n && vlen)
			line[n++] = ' ';
		memcpy(line + n, val, vlen);
		n += vlen;
		line[n] = '\0';
		shvar_free(v);
	}
	r = add(l, BOOT_GRUB, GRUB_DEFAULT_FILE, line ? line : "", n, NULL);
	free(line);
	return r;
}

/*
 * Debian's grub-mkconfig sources /etc/default/grub.d/ *.cfg right after
 * /etc/default/grub, in one shell: the files read one after the other are
 * what it sees.  Takes TEXT; NULL on allocation failure.
 */
static char *with_grub_dropins(char *text, size_t *len)
{
	struct boot_paths d;
	size_t i, dlen;

	if (grub_dropins_find(&d) < 0)
		return text;
	for (i = 0; i < d.n; i++) {
		char *more = root_read_file(d.path[i], &dlen), *p;

		if (!more)
			continue;
		p = realloc(text, *len + dlen + 2);
		if (!p) {
			free(more);
			free(text);
			boot_paths_free(&d);
			return NULL;
		}
		text = p;
		if (*len && text[*len - 1] != '\n')
			text[(*len)++] = '\n';
		memcpy(text + *len, more, dlen);
		*len += dlen;
		text[*len] = '\0';
		free(more);
	}
	boot_paths_free(&d);
	return text;
}

static int read_refind(struct boot_cmdlines *l, const char *path, const char *text, size_t len)
{
	struct refind_conf rc;
	const char *why;
	unsigned lineno = 0;
	char source[4200];
	size_t i;

	if (refind_conf_parse(&rc, text, len, &why, &lineno) < 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "line %u: %s", lineno, why);
		return add(l, BOOT_REFIND, path, NULL, 0, msg);
	}
	for (i = 0; i < rc.n; i++) {
		snprintf(source, sizeof(source), "%s:%u", path, rc.l[i].lineno);
		if (rc.l[i].has_options &&
		    add(l, BOOT_REFIND, source, rc.l[i].options, rc.l[i].optlen, NULL) < 0) {
			refind_conf_free(&rc);
			return -1;
		}
	}
	refind_conf_free(&rc);
	return 0;
}

static int read_one(struct boot_cmdlines *l, enum boot_kind kind, const char *path)
{
	struct bls_entry e;
	size_t len;
	char *text = root_read_file(path, &len);
	int r = 0;

	if (!text)
		return add(l, kind, path, NULL, 0, strerror(errno));
	switch (kind) {
	case BOOT_GRUB:
		text = with_grub_dropins(text, &len);
		r = text ? read_grub(l, text, len) : -1;
		break;
	case BOOT_BLS:
		if (bls_entry_parse(&e, text, len) < 0) {
			r = -1;
			break;
		}
		r = add(l, kind, path, e.cmdline, e.cmdlen, NULL);
		bls_entry_free(&e);
		break;
	case BOOT_KERNEL_CMDLINE:
		r = add(l, kind, path, text, len, NULL);
		break;
	case BOOT_REFIND:
		r = read_refind(l, path, text, len);
		break;
	}
	free(text);
	return r;
}

int boot_cmdlines_read(struct boot_cmdlines *l)
{
	struct boot_paths e = { 0 };
	size_t i;
	int r = 0;

	l->v = NULL;
	l->n = 0;
	if (boot_file_exists(GRUB_DEFAULT_FILE))
		r |= read_one(l, BOOT_GRUB, GRUB_DEFAULT_FILE);
	if (bls_entries_find(NULL, &e) == 0) {
		for (i = 0; i < e.n; i++)
			r |= read_one(l, BOOT_BLS, e.path[i]);
		boot_paths_free(&e);
	}
	if (boot_file_exists(KERNEL_CMDLINE_FILE))
		r |= read_one(l, BOOT_KERNEL_CMDLINE, KERNEL_CMDLINE_FILE);
	if (boot_file_exists(REFIND_LINUX_CONF))
		r |= read_one(l, BOOT_REFIND, REFIND_LINUX_CONF);
	return r < 0 ? -1 : 0;
}

void boot_cmdlines_free(struct boot_cmdlines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].source);
		free(l->v[i].text);
		free(l->v[i].why);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
