/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --root confinement: no path, ".." or symbolic link reaches outside. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/root.h"
#include "tap.h"

static char top[4096];

static void put(const char *rel, const char *text)
{
	char p[8192];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

static void link_(const char *target, const char *rel)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	if (symlink(target, p) < 0)
		perror(p);
}

static void dir(const char *rel)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	mkdir(p, 0755);
}

int main(void)
{
	char buf[256], outside[8192];
	size_t len;
	char *data;
	int fd;

	snprintf(top, sizeof(top), "%s/vfio-root.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(top))
		return 1;
	/* The secret lives beside the root, not in it. */
	snprintf(outside, sizeof(outside), "%s.secret", top);
	{
		FILE *f = fopen(outside, "w");

		fputs("secret\n", f);
		fclose(f);
	}
	dir("root");
	dir("root/sys");
	dir("root/sys/dev");
	put("root/sys/dev/vendor", "0x1002\n");
	put("root/sys/dev/spaces", "a b  \n\n");
	link_("vendor", "root/sys/dev/alias");
	link_("../../../root.secret", "root/sys/dev/up");
	link_(outside, "root/sys/dev/abs");
	link_("/sys/dev/vendor", "root/sys/abs-inside");
	link_("../../kernel/iommu_groups/18", "root/sys/dev/iommu_group");
	{
		char r[8192];

		snprintf(r, sizeof(r), "%s/root", top);
		ok(root_init(r) == 0, "root_init on a directory");
		snprintf(r, sizeof(r), "%s/root/", top);
		ok(root_init(r) == 0 && strcmp(root_prefix() + strlen(root_prefix()) - 5, "/root") == 0,
		   "trailing slash dropped from the prefix");
	}
	is_str(strstr(root_show("/etc/default/grub"), "/root/etc/default/grub"),
	       "/root/etc/default/grub", "root_show names the path under the root");

	fd = root_open("/sys/dev", O_PATH | O_DIRECTORY, 0);
	ok(fd >= 0, "open a directory under the root");
	ok(attr_read(fd, "vendor", buf, sizeof(buf)) == 6 && !strcmp(buf, "0x1002"),
	   "attribute read, newline trimmed");
	ok(attr_read(fd, "spaces", buf, sizeof(buf)) == 3 && !strcmp(buf, "a b"),
	   "trailing white space trimmed, inner kept");
	ok(attr_read(fd, "alias", buf, sizeof(buf)) < 0 && errno == ELOOP,
	   "attribute that is a symbolic link refused");
	ok(attr_read(fd, "missing", buf, sizeof(buf)) < 0 && errno == ENOENT, "missing attribute: ENOENT");
	ok(attr_read(fd, "vendor", buf, 4) < 0 && errno == EFBIG, "attribute larger than the buffer: EFBIG");
	ok(link_base(fd, "iommu_group", buf, sizeof(buf)) == 2 && !strcmp(buf, "18"),
	   "link_base gives the group number");
	close(fd);

	ok(root_open("/sys/dev/up", O_RDONLY, 0) < 0, "relative link climbing out is confined");
	ok(root_open("/sys/dev/abs", O_RDONLY, 0) < 0, "absolute link is resolved inside the root");
	ok(root_open("/../root.secret", O_RDONLY, 0) < 0, "'..' at the top stays at the top");
	data = root_read_file("/sys/abs-inside", &len);
	ok(data && len == 7 && !strcmp(data, "0x1002\n"), "absolute link inside the root works");
	free(data);
	data = root_read_file("/../../sys/dev/vendor", &len);
	ok(data && len == 7, "'..' above the root clamps to the root");
	free(data);
	ok(root_read_file("/nonexistent", &len) == NULL && errno == ENOENT, "missing file: ENOENT");

	/*
	 * A lookup through ".." fails with EAGAIN when anything on the system
	 * is renamed meanwhile; sysfs device links all go through "..".
	 */
	{
		char a[8192], b[8192];
		int i, failed = 0;
		pid_t renamer;

		snprintf(a, sizeof(a), "%s/renamed-a", top);
		snprintf(b, sizeof(b), "%s/renamed-b", top);
		put("renamed-a", "");
		renamer = fork();
		if (renamer == 0)
			for (;;)
				if (rename(a, b) < 0 || rename(b, a) < 0)
					_exit(1);
		for (i = 0; i < 20000; i++) {
			fd = root_open("/sys/dev/../dev/vendor", O_RDONLY, 0);
			if (fd < 0)
				failed++;
			else
				close(fd);
		}
		if (renamer > 0) {
			kill(renamer, SIGKILL);
			waitpid(renamer, NULL, 0);
		}
		ok(renamer > 0 && failed == 0, "lookups through '..' during renames elsewhere: %d of %d failed",
		   failed, i);
	}

	{
		char cmd[16384];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", top, outside);
		if (system(cmd) != 0)
			return 1;
	}
	return tap_done();
}
