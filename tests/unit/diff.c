/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unified diffs: judged by patch(1), which must turn the old text into the
 * new one, for fixed cases and for random edits.
 */
#include <stdlib.h>
#include <string.h>

#include "base/diff.h"
#include "tap.h"

static char dir[4096];

static void put(const char *name, const char *s, size_t n)
{
	char p[8192];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	fwrite(s, 1, n, f);
	fclose(f);
}

/* patch(1) applies the diff of OLD to NEW and gives NEW back. */
static int roundtrip(const char *old, const char *new)
{
	char cmd[16384], *d = NULL;
	size_t dn = 0;
	FILE *f;
	int r;

	put("a", old, strlen(old));
	put("b", new, strlen(new));
	f = open_memstream(&d, &dn);
	diff_unified(f, "/x", old, strlen(old), new, strlen(new));
	fclose(f);
	put("d", d, dn);
	free(d);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && cp a x && patch -s -p1 x <d >/dev/null 2>&1 && cmp -s x b",
		 dir);
	r = system(cmd);
	return r == 0;
}

static char *diff_of(const char *old, const char *new)
{
	static char *d;
	size_t dn;
	FILE *f;

	free(d);
	d = NULL;
	f = open_memstream(&d, &dn);
	diff_unified(f, "/etc/default/grub", old, old ? strlen(old) : 0, new, new ? strlen(new) : 0);
	fclose(f);
	return d;
}

static void random_text(char *buf, size_t size, unsigned int *seed, int lines)
{
	size_t n = 0;
	int i;

	for (i = 0; i < lines && n + 8 < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "l%d\n", rand_r(seed) % 6);
	if (rand_r(seed) % 4 == 0 && n > 0)
		buf[--n] = '\0';	/* no final newline */
	buf[n] = '\0';
}

int main(void)
{
	char a[4096], b[4096];
	unsigned int seed = 12345;
	int i, good = 0;

	snprintf(dir, sizeof(dir), "%s/vfio-diff.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;

	is_str(diff_of("a\n", "a\n"), "", "equal texts: no output");
	is_str(diff_of("a\nb\nc\n", "a\nB\nc\n"),
	       "--- a/etc/default/grub\n+++ b/etc/default/grub\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
	       "one changed line with context");
	is_str(diff_of(NULL, "new\n"),
	       "--- /dev/null\n+++ b/etc/default/grub\n@@ -0,0 +1 @@\n+new\n",
	       "created file");
	is_str(diff_of("x\n", NULL),
	       "--- a/etc/default/grub\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n",
	       "removed file");
	is_str(diff_of("a", "a\n"),
	       "--- a/etc/default/grub\n+++ b/etc/default/grub\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n",
	       "missing final newline is marked");
	ok(roundtrip("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n",
		     "1\n2x\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13x\n14\n"),
	   "two hunks apply with patch");
	for (i = 0; i < 200; i++) {
		random_text(a, sizeof(a), &seed, rand_r(&seed) % 30);
		random_text(b, sizeof(b), &seed, rand_r(&seed) % 30);
		good += roundtrip(a, b);
	}
	ok(good == 200, "patch applies 200 random diffs exactly (%d did)", good);
	{
		char cmd[8192];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 1;
	}
	return tap_done();
}
