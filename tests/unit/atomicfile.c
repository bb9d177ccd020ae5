/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Atomic replace: contents, mode, owner, links, and nothing left behind. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "base/atomicfile.h"
#include "base/root.h"
#include "tap.h"

static char top[4096];

static char *slurp(const char *rel)
{
	static char buf[4096];
	char p[8192];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static mode_t mode_of(const char *rel)
{
	char p[8192];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	return lstat(p, &st) == 0 ? st.st_mode : 0;
}

/* Entries in a directory whose name starts with ".#": leftover temp files. */
static int leftovers(const char *rel)
{
	char p[8192];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	d = opendir(p);
	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, ".#", 2);
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	struct atomic_file af;
	char p[8192];

	snprintf(top, sizeof(top), "%s/vfio-atomic.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(top) || root_init(top) < 0)
		return 1;
	snprintf(p, sizeof(p), "%s/etc", top);
	mkdir(p, 0755);

	ok(atomic_write("/etc/new.conf", "one\n", 4, 0644) == 0, "create a new file");
	is_str(slurp("etc/new.conf"), "one\n", "new file has the contents");
	ok((mode_of("etc/new.conf") & 07777) == 0644, "new file gets the given mode");

	snprintf(p, sizeof(p), "%s/etc/grub", top);
	chmod(p, 0);
	{
		FILE *f = fopen(p, "w");

		fputs("old\n", f);
		fclose(f);
	}
	chmod(p, 0640);
	ok(atomic_write("/etc/grub", "new contents\n", 13, 0644) == 0, "replace an existing file");
	is_str(slurp("etc/grub"), "new contents\n", "replaced contents");
	ok((mode_of("etc/grub") & 07777) == 0640, "existing mode 0640 kept");

	snprintf(p, sizeof(p), "%s/etc/link", top);
	if (symlink("grub", p) < 0)
		return 1;
	ok(atomic_write("/etc/link", "via link\n", 9, 0644) == 0, "write through a symbolic link");
	ok(S_ISLNK(mode_of("etc/link")), "the link stays a link");
	is_str(slurp("etc/grub"), "via link\n", "the file it points to is replaced");

	snprintf(p, sizeof(p), "%s/etc/abs", top);
	if (symlink("/etc/grub", p) < 0)
		return 1;
	ok(atomic_write("/etc/abs", "abs\n", 4, 0644) == 0, "absolute link resolved inside the root");
	is_str(slurp("etc/grub"), "abs\n", "the root's file was written, not the host's");

	ok(atomic_write("/missing/dir/file", "x", 1, 0644) < 0 && errno == ENOENT,
	   "missing directory: ENOENT");
	ok(atomic_write("/etc", "x", 1, 0644) < 0, "a directory is not replaced");

	ok(atomic_stage(&af, "/etc/grub", "staged\n", 7, 0644) == 0, "stage a file");
	is_str(slurp("etc/grub"), "abs\n", "staging leaves the original alone");
	ok(leftovers("etc") == 1, "the staged temp file sits beside it");
	atomic_abort(&af);
	ok(leftovers("etc") == 0, "abort removes the temp file");
	is_str(slurp("etc/grub"), "abs\n", "abort keeps the original");

	ok(atomic_write("/etc/grub", "", 0, 0644) == 0, "an empty file can be written");
	is_str(slurp("etc/grub"), "", "empty contents");
	ok(leftovers("etc") == 0, "no temp file left after the writes");

	/* The longest name a directory can hold still gets a temporary file. */
	{
		char name[256], path[300];

		memset(name, 'n', 255);
		name[255] = '\0';
		snprintf(path, sizeof(path), "/etc/%s", name);
		ok(atomic_write(path, "long\n", 5, 0644) == 0 &&
		   atomic_write(path, "longer\n", 7, 0644) == 0, "a 255-byte name is written and replaced");
		is_str(slurp(path + 1), "longer\n", "the 255-byte name holds the new contents");
		ok(leftovers("etc") == 0, "no temp file left for the long name");
		snprintf(p, sizeof(p), "%s%s", top, path);
		unlink(p);
	}

	/* A hard link is refused, saying how many names there are. */
	{
		char q[8192];

		snprintf(p, sizeof(p), "%s/etc/grub", top);
		snprintf(q, sizeof(q), "%s/etc/grub.hard", top);
		ok(link(p, q) == 0, "a second name for grub");
		ok(atomic_stage(&af, "/etc/grub", "new\n", 4, 0644) < 0 && errno == EMLINK &&
		   af.nlink == 2, "a file with two hard links: EMLINK, 2 links");
		ok(leftovers("etc") == 0, "no temp file left after EMLINK");
		unlink(q);
	}

	/* user.* extended attributes travel with the contents. */
	{
		char v[16];
		ssize_t n;

		snprintf(p, sizeof(p), "%s/etc/grub", top);
		if (setxattr(p, "user.vfio", "kept", 4, 0) == 0) {
			ok(atomic_write("/etc/grub", "xattr\n", 6, 0644) == 0, "write a file with user.vfio");
			n = getxattr(p, "user.vfio", v, sizeof(v));
			ok(n == 4 && !memcmp(v, "kept", 4), "user.vfio kept");
		} else {
			printf("ok %d # SKIP no user.* attributes on this file system\n", ++tap_n);
			printf("ok %d # SKIP no user.* attributes on this file system\n", ++tap_n);
		}
	}

	/* No descriptor stays open between staging and committing. */
	{
		int before = dup(0), after;

		close(before);
		ok(atomic_stage(&af, "/etc/grub", "fd\n", 3, 0644) == 0, "stage one more");
		after = dup(0);
		close(after);
		ok(after == before, "no descriptor held by a staged file");
		ok(atomic_commit(&af) == 0, "commit reopens the directory");
		is_str(slurp("etc/grub"), "fd\n", "the committed contents");
	}

	snprintf(p, sizeof(p), "rm -rf '%s'", top);
	if (system(p) != 0)
		return 1;
	return tap_done();
}
