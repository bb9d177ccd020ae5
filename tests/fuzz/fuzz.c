/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "initramfs/initramfs.h"
#include "base/root.h"

void parts_split(struct parts *p, const uint8_t *data, size_t size, size_t max)
{
	size_t pos = 0;

	memset(p, 0, sizeof(*p));
	if (max > FUZZ_MAX_PARTS)
		max = FUZZ_MAX_PARTS;
	do {
		const uint8_t *nul = p->n + 1 < max ? memchr(data + pos, '\0', size - pos) : NULL;
		size_t end = nul ? (size_t)(nul - data) : size;

		p->len[p->n] = end - pos;
		p->s[p->n] = fuzz_nonnull(malloc(end - pos + 1));
		memcpy(p->s[p->n], data + pos, end - pos);
		p->s[p->n][end - pos] = '\0';
		p->n++;
		pos = nul ? end + 1 : size;
		if (!nul)
			break;
	} while (1);
}

void parts_free(struct parts *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->s[i]);
	memset(p, 0, sizeof(*p));
}

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property does not hold: %s\n", file, line, what);
	abort();
}

void *fuzz_nonnull(void *p)
{
	if (!p) {
		fprintf(stderr, "fuzz target: out of memory\n");
		exit(1);
	}
	return p;
}

static char root_dir[PATH_MAX];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	if (f->level == 0)
		return 0;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

void fuzz_root_clear(void)
{
	if (root_dir[0] && nftw(root_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0) {
		perror(root_dir);
		exit(1);
	}
}

static void remove_root(void)
{
	fuzz_root_clear();
	rmdir(root_dir);
}

void fuzz_root(void)
{
	const char *tmp = getenv("TMPDIR");

	if (root_dir[0])
		return;
	snprintf(root_dir, sizeof(root_dir), "%s/vfio-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root_dir) || root_init(root_dir) < 0) {
		perror(root_dir);
		exit(1);
	}
	atexit(remove_root);
}

void fuzz_root_put(const char *path, const char *text, size_t len)
{
	char full[PATH_MAX], *p;
	int fd;

	snprintf(full, sizeof(full), "%s%s", root_dir, path);
	for (p = full + strlen(root_dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(full, 0755) < 0 && errno != EEXIST) {
			perror(full);
			exit(1);
		}
		*p = '/';
	}
	fd = open(full, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) < 0) {
		perror(full);
		exit(1);
	}
}

size_t fuzz_kparam_ops(const struct parts *p, size_t from, struct kparam_op *ops)
{
	static const char *const defaults[] = {
		"+vfio-pci.ids=10de:1b80,10de:10f0", "+intel_iommu=on", "+iommu=pt", "-nomodeset",
	};
	const char *const *args = defaults;
	size_t nargs = sizeof(defaults) / sizeof(defaults[0]), n = 0, i, a, b;
	const char *why;

	if (p->n > from) {
		args = (const char *const *)p->s + from;
		nargs = p->n - from;
	}
	for (i = 0; i < nargs && n < FUZZ_MAX_OPS; i++) {
		const char *arg = args[i];

		if ((arg[0] != '+' && arg[0] != '-') ||
		    kparam_op_parse(&ops[n], arg[0] == '+' ? KPARAM_ADD : KPARAM_REMOVE, arg + 1, &why) < 0)
			continue;
		n++;
	}
	if (kparam_ops_conflict(ops, n, &a, &b)) {
		fuzz_kparam_ops_free(ops, n);
		return 0;
	}
	return n;
}

void fuzz_kparam_ops_free(struct kparam_op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		kparam_op_free(&ops[i]);
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

bool kcmdline_same(const struct kcmdline *a, const struct kcmdline *b)
{
	size_t i;

	if (a->init != b->init)
		return false;
	for (i = 0; i < a->init; i++)
		if (strcmp(a->p[i].key, b->p[i].key) || !same_str(a->p[i].val, b->p[i].val))
			return false;
	return true;
}

struct snap {
	char **v;
	size_t n, cap;
};

static struct snap *snap_now;

static int snap_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	struct snap *s = snap_now;

	if (flag != FTW_F)
		return 0;
	if (s->n == s->cap)
		s->v = fuzz_nonnull(realloc(s->v, (s->cap = s->cap ? 2 * s->cap : 16) * sizeof(*s->v)));
	s->v[s->n++] = fuzz_nonnull(strdup(path + strlen(root_dir)));
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *fuzz_root_snapshot(size_t *len)
{
	struct snap s = { 0 };
	char *out = NULL;
	size_t i, n = 0;

	snap_now = &s;
	if (nftw(root_dir, snap_one, 16, FTW_PHYS) < 0) {
		perror(root_dir);
		exit(1);
	}
	qsort(s.v, s.n, sizeof(*s.v), by_str);
	for (i = 0; i < s.n; i++) {
		size_t flen = 0, plen = strlen(s.v[i]) + 1;
		char *text = root_read_file(s.v[i], &flen);

		if (!text) {
			perror(s.v[i]);
			exit(1);
		}
		out = fuzz_nonnull(realloc(out, n + plen + flen + 1));
		memcpy(out + n, s.v[i], plen);
		memcpy(out + n + plen, text, flen);
		out[n + plen + flen] = '\0';
		n += plen + flen + 1;
		free(text);
		free(s.v[i]);
	}
	free(s.v);
	*len = n;
	return out ? out : fuzz_nonnull(calloc(1, 1));
}

static void apply_plan(const struct edit_list *p)
{
	char full[PATH_MAX * 2];
	size_t i;

	for (i = 0; i < p->n; i++) {
		const struct edit_file *e = &p->v[i];

		CHECK(e->path[0] == '/' && (e->old || e->new));
		if (e->new) {
			fuzz_root_put(e->path, e->new, e->newlen);
		} else {
			snprintf(full, sizeof(full), "%s%s", root_dir, e->path);
			if (unlink(full) < 0) {
				perror(full);
				exit(1);
			}
		}
	}
}

/*
 * Whether TEXT holds two records of what initramfs-vfio added: it keeps
 * one per setting, and a tree with two (a hand edit) loses one a run.
 */
static bool two_records(const char *text, size_t len)
{
	static const char rec[] = "# initramfs-vfio added";
	const char *r = memmem(text, len, rec, sizeof(rec) - 1);

	return r && memmem(r + 1, len - (size_t)(r + 1 - text), rec, sizeof(rec) - 1);
}

void fuzz_initramfs(int gen, const char *const *paths, size_t npaths, const uint8_t *data, size_t size)
{
	struct initramfs_want add = { { "vfio_pci", "vfio", "vfio_iommu_type1" }, 3, false, NULL, true };
	struct initramfs_want none = { { NULL }, 0, false, NULL, true };
	struct edit_list p = EDIT_LIST_INIT;
	struct parts parts;
	size_t i, l0, l1;
	char *before, *after;

	fuzz_root();
	fuzz_root_clear();
	parts_split(&parts, data, size, npaths);
	/*
	 * A last line without its line break gets one when something is
	 * added after it, and keeps it when that goes again: the generators
	 * read the file the same either way, and nothing says whether it
	 * was there.  So the files start with one.
	 */
	for (i = 0; i < parts.n; i++) {
		size_t n = parts.len[i];

		if (n && parts.s[i][n - 1] != '\n') {
			parts.s[i] = fuzz_nonnull(realloc(parts.s[i], n + 2));
			memcpy(parts.s[i] + n, "\n", 2);
			parts.len[i]++;
		}
		fuzz_root_put(paths[i], parts.s[i], parts.len[i]);
	}
	parts_free(&parts);
	before = fuzz_root_snapshot(&l0);
	if (initramfs_plan(gen, &add, &p) < 0) {
		CHECK(p.n == 0);
		goto out;
	}
	apply_plan(&p);
	edit_list_free(&p);
	CHECK(initramfs_plan(gen, &add, &p) == 0);
	CHECK(p.n == 0);
	CHECK(initramfs_plan(gen, &none, &p) == 0);
	apply_plan(&p);
	edit_list_free(&p);
	CHECK(initramfs_plan(gen, &none, &p) == 0);
	CHECK(p.n == 0 || two_records(before, l0));
	after = fuzz_root_snapshot(&l1);
	/*
	 * Where the files already name a VFIO module, the edit moves the
	 * user's own line ahead of the GPU drivers, and taking out what was
	 * added leaves it there; where they hold a record of what
	 * initramfs-vfio added, taking out believes it.  Neither gives back
	 * the bytes, rightly.
	 */
	if (!memmem(before, l0, "vfio", 4))
		CHECK(l1 == l0 && !memcmp(after, before, l0));
	free(after);
out:
	edit_list_free(&p);
	free(before);
}
