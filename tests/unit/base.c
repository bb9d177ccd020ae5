/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The base toolkit: strings, lists, splices, module names, directory listings. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/dircount.h"
#include "base/dirlist.h"
#include "base/macros.h"
#include "base/modname.h"
#include "base/root.h"
#include "base/strbuf.h"
#include "base/strlist.h"
#include "base/text.h"
#include "base/xalloc.h"
#include "tap.h"

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	char big[5000];
	size_t len;
	char *s;

	is_str(sb.buf, "", "a new strbuf reads as the empty string");
	strbuf_addstr(&sb, "vfio");
	strbuf_addch(&sb, '-');
	strbuf_add(&sb, "pci.ids=", 8);
	strbuf_addf(&sb, "%04x:%04x", 0x10de, 0x2204);
	is_str(sb.buf, "vfio-pci.ids=10de:2204", "pieces and a format add up");
	ok(sb.len == strlen(sb.buf), "len follows the text");
	strbuf_setlen(&sb, 4);
	is_str(sb.buf, "vfio", "setlen cuts");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addf(&sb, "%s!", big);
	ok(sb.len == 4 + sizeof(big) && sb.buf[sb.len - 1] == '!' && !sb.buf[sb.len],
	   "a format longer than the room grows it");
	s = strbuf_detach(&sb, &len);
	ok(len == 4 + sizeof(big) && sb.len == 0 && !strcmp(sb.buf, ""), "detach hands the string over");
	free(s);
	s = strbuf_detach(&sb, &len);
	ok(s && !*s && len == 0, "detach of an empty strbuf gives a string of its own");
	free(s);
	strbuf_release(&sb);
}

static void test_strlist(void)
{
	struct strlist l = STRLIST_INIT;
	size_t i;
	char name[16];

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "m%03zu", 999 - i);
		strlist_add(&l, name);
	}
	strlist_add_owned(&l, xstrdup("vfio_pci"));
	ok(l.n == 1001 && strlist_has(&l, "m500") && strlist_has(&l, "vfio_pci") &&
	   !strlist_has(&l, "vfio-pci"), "added strings are found, others not");
	strlist_sort(&l, 0);
	is_str(l.v[0], "m000", "sorted: first");
	is_str(l.v[1000], "vfio_pci", "sorted: last");
	strlist_free(&l);
	ok(!l.v && !l.n && !l.alloc, "freed list is empty");
}

static void test_text(void)
{
	const char *t = "one\ntwo\nthree";
	char *s;
	size_t n;

	ok(line_start(t, 5) == 4 && line_end(t, 5) == 7, "the line around an offset");
	ok(line_start(t, 0) == 0 && line_end(t, 9) == 13, "first and last line");
	ok(line_number(t, 0) == 1 && line_number(t, 4) == 2 && line_number(t, 12) == 3,
	   "line numbers");
	s = text_splice(t, 4, 3, "TWO");
	is_str(s, "one\nTWO\nthree", "a splice replaces the bytes");
	free(s);
	s = text_splice(t, 0, 0, "zero\n");
	is_str(s, "zero\none\ntwo\nthree", "an insertion");
	free(s);
	s = text_splice_n("a\0b", 3, 1, 1, "xy", 2, &n);
	ok(n == 4 && !memcmp(s, "axyb", 5), "the counted splice keeps a NUL-free result right");
	free(s);
}

static void test_modname(void)
{
	char name[] = "vfio-pci-core";

	is_str(modname_normalize(name), "vfio_pci_core", "'-' turns into '_'");
	ok(modname_eq("vfio-pci", "vfio_pci") && modname_eq("vfio_pci", "vfio-pci"),
	   "'-' and '_' alike");
	ok(!modname_eq("vfio-pci", "vfio_pc") && !modname_eq("vfio", "vfio_pci"),
	   "other lengths differ");
	ok(modname_eqn("vfio-pci.ids", "vfio_pci.ids=1", 12), "a prefix of given length");
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd >= 0)
		close(fd);
}

static void test_dirlist(void)
{
	char dir[] = "/tmp/vfio-unit-XXXXXX", path[256];
	struct strlist l = STRLIST_INIT;
	int r;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/d", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/d/b.conf", dir);
	touch(path);
	snprintf(path, sizeof(path), "%s/d/a.conf", dir);
	touch(path);
	snprintf(path, sizeof(path), "%s/d/.hidden.conf", dir);
	touch(path);
	snprintf(path, sizeof(path), "%s/d/.conf", dir);
	touch(path);
	snprintf(path, sizeof(path), "%s/d/c.txt", dir);
	touch(path);
	snprintf(path, sizeof(path), "%s/d/sub.conf", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/d/link.conf", dir);
	if (symlink("/d/a.conf", path) < 0)
		ok(0, "symlink: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/d/out.conf", dir);
	if (symlink("/etc/passwd", path) < 0)
		ok(0, "symlink: %s", strerror(errno));
	if (root_init(dir) < 0) {
		ok(0, "root_init: %s", strerror(errno));
		return;
	}
	r = dir_list("/d", ".conf", DIRLIST_REGULAR, &l);
	ok(r == 0 && l.n == 3, "regular .conf files, a link within the root followed (%zu)", l.n);
	if (l.n == 3) {
		is_str(l.v[0], "a.conf", "sorted");
		is_str(l.v[1], "b.conf", "sorted");
		is_str(l.v[2], "link.conf", "a link resolved under the root, not the host");
	}
	strlist_free(&l);
	r = dir_list("/d", NULL, DIRLIST_HIDDEN, &l);
	ok(r == 0 && l.n == 8, "everything with hidden names, never . and .. (%zu)", l.n);
	strlist_free(&l);
	r = dir_list("/d", ".conf", DIRLIST_DIRS, &l);
	ok(r == 0 && l.n == 1 && !strcmp(l.v[0], "sub.conf"), "only directories");
	strlist_free(&l);
	errno = 0;
	ok(dir_list("/nowhere", NULL, 0, &l) < 0 && errno == ENOENT && l.n == 0,
	   "a missing directory is ENOENT");
	ok(dir_list("/d/c.txt", NULL, 0, &l) < 0 && errno == ENOTDIR, "a file is ENOTDIR");
	r = dir_list("/d", NULL, 0, &l);
	ok(r == 0 && dir_count("/d") == l.n && l.n == 6,
	   "dir_count: as many as dir_list lists, hidden names left out (%zu)", l.n);
	strlist_free(&l);
	ok(dir_count("/nowhere") == 0 && dir_count("/d/c.txt") == 0,
	   "dir_count: no directory counts nothing");
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		ok(0, "cleanup");
}

int main(void)
{
	static const int four[4];

	test_strbuf();
	test_strlist();
	test_text();
	test_modname();
	test_dirlist();
	ok(ARRAY_SIZE(four) == 4, "ARRAY_SIZE");
	return tap_done();
}
