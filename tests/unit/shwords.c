/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Words of bash assignments found and edited in place; sort -V order of names. */
#include <stdlib.h>
#include <string.h>

#include "initramfs/gen-util.h"
#include "initramfs/shwords.h"
#include "tap.h"

static const char *const vfio[] = { "vfio_pci", "vfio", "vfio_iommu_type1" };

/* TEXT with the three modules inserted into the last assignment of NAME before word AT. */
static char *insert(const char *text, const char *name, size_t at)
{
	struct sh_var v;
	unsigned int lineno;
	const char *why;
	char *out;

	if (sh_var_parse(text, name, &v, &lineno, &why) < 0 || !v.n)
		return NULL;
	out = sh_insert(text, &v.v[v.n - 1], at == (size_t)-1 ? v.v[v.n - 1].n : at, vfio, 3);
	sh_var_free(&v);
	return out;
}

/* TEXT without each word of NAME that is one of the three modules. */
static char *take_out(const char *text, const char *name)
{
	char *t = strdup(text);

	for (;;) {
		struct sh_var v;
		unsigned int lineno;
		const char *why;
		size_t i, j, k;
		char *next = NULL;

		if (sh_var_parse(t, name, &v, &lineno, &why) < 0)
			return t;
		for (i = 0; i < v.n && !next; i++)
			for (j = 0; j < v.v[i].n && !next; j++)
				for (k = 0; k < 3 && !next; k++)
					if (!strcmp(v.v[i].w[j].value, vfio[k]))
						next = sh_delete(t, &v.v[i], j);
		sh_var_free(&v);
		if (!next)
			return t;
		free(t);
		t = next;
	}
}

static void round_trip(const char *text, size_t at, const char *want, const char *what)
{
	char *got = insert(text, "MODULES", at), *back;

	is_str(got, want, "%s: inserted", what);
	back = got ? take_out(got, "MODULES") : NULL;
	is_str(back, text, "%s: deleted again, byte for byte", what);
	free(got);
	free(back);
}

static void refused(const char *text, unsigned int line, const char *what)
{
	struct sh_var v;
	unsigned int lineno = 0;
	const char *why = NULL;

	ok(sh_var_parse(text, "MODULES", &v, &lineno, &why) < 0 && lineno == line && why,
	   "refused: %s (line %u: %s)", what, lineno, why ? why : "-");
}

int main(void)
{
	struct sh_var v;
	unsigned int lineno;
	const char *why;
	const char *names[] = { "vfio.conf", "99-mkinitcpio.conf", "10-vfio.conf", "_x.conf", "9-a.conf",
			  "a.conf", "-y.conf", "early_kms.conf", "Vfio.conf", "100-c.conf" };
	const char *sorted[] = { "9-a.conf", "10-vfio.conf", "99-mkinitcpio.conf", "100-c.conf",
				 "Vfio.conf", "a.conf", "early_kms.conf", "vfio.conf", "-y.conf",
				 "_x.conf" };
	size_t i;
	bool in_order = true;

	ok(sh_var_parse("# MODULES=(x)\nMODULES=(a 'b c' \"d\"e)\nHOOKS=(base)\n", "MODULES", &v,
			&lineno, &why) == 0 && v.n == 1 && v.v[0].n == 3 &&
	   !strcmp(v.v[0].w[1].value, "b c") && !strcmp(v.v[0].w[2].value, "de"),
	   "quoted words are read as bash reads them, comments skipped");
	sh_var_free(&v);
	ok(sh_var_parse("MODULES=\"a  b\"\nMODULES+=(c)\n", "MODULES", &v, &lineno, &why) == 0 &&
	   v.n == 2 && !v.v[0].array && v.v[0].n == 2 && v.v[1].append && v.v[1].n == 1,
	   "the string form and += are told apart");
	sh_var_free(&v);
	ok(sh_var_parse("MODULES_DECOMPRESS=yes\nMODULES=() # none\n", "MODULES", &v, &lineno, &why) == 0 &&
	   v.n == 1 && v.v[0].n == 0, "a longer name is another variable; a trailing comment is fine");
	sh_var_free(&v);

	round_trip("MODULES=()\n", (size_t)-1, "MODULES=(vfio_pci vfio vfio_iommu_type1)\n", "empty array");
	round_trip("MODULES=(\t)\n", (size_t)-1, "MODULES=(\tvfio_pci vfio vfio_iommu_type1)\n",
		   "empty array with a blank in it");
	round_trip("MODULES=(ext4\t)\n", (size_t)-1, "MODULES=(ext4 vfio_pci vfio vfio_iommu_type1\t)\n",
		   "a blank before the closing parenthesis");
	round_trip("MODULES=(ext4 amdgpu)\n", 1, "MODULES=(ext4 vfio_pci vfio vfio_iommu_type1 amdgpu)\n",
		   "one line, ahead of a word");
	round_trip("MODULES=(ext4)\n", (size_t)-1, "MODULES=(ext4 vfio_pci vfio vfio_iommu_type1)\n",
		   "one line, at the end");
	round_trip("MODULES=\"\"\n", (size_t)-1, "MODULES=\"vfio_pci vfio vfio_iommu_type1\"\n",
		   "empty string form");
	round_trip("MODULES=\"i915 nouveau\" \n", 0,
		   "MODULES=\"vfio_pci vfio vfio_iommu_type1 i915 nouveau\" \n", "string form");
	round_trip("MODULES=(\n\tsd_mod\n\text4\n\t)\n", (size_t)-1,
		   "MODULES=(\n\tsd_mod\n\text4\n\tvfio_pci\n\tvfio\n\tvfio_iommu_type1\n\t)\n",
		   "one per line, at the end");
	round_trip("MODULES=(\n    nvme\n    # graphics\n    # (the host's)\n    amdgpu  # RX 6750\n)\n", 1,
		   "MODULES=(\n    nvme\n    vfio_pci\n    vfio\n    vfio_iommu_type1\n"
		   "    # graphics\n    # (the host's)\n    amdgpu  # RX 6750\n)\n",
		   "comments in the array stay with the word they introduce");
	round_trip("MODULES=(vfat btrfs\n         i915 nvidia)\n", 2,
		   "MODULES=(vfat btrfs\n         vfio_pci vfio vfio_iommu_type1\n         i915 nvidia)\n",
		   "several to a line, ahead of the first of a line");
	round_trip("MODULES=(vfat btrfs\n         i915 nvidia)\n", (size_t)-1,
		   "MODULES=(vfat btrfs\n         i915 nvidia vfio_pci vfio vfio_iommu_type1)\n",
		   "several to a line, at the end");
	round_trip("MODULES=(\n)\n", (size_t)-1, "MODULES=(\n    vfio_pci\n    vfio\n    vfio_iommu_type1\n)\n",
		   "empty array over two lines");

	refused("A=1\nMODULES=(${MODULES[@]} vfio)\n", 2, "an expansion");
	refused("MODULES=(a\n", 1, "an array that does not end");
	refused("MODULES=(a); HOOKS=(b)\n", 1, "two commands on a line");
	refused("MODULES=(\"a\nb\")\n", 1, "a quoted word over two lines");
	refused("MODULES=\"a\nb\"\n", 1, "a string over two lines, of which mkinitcpio reads one");
	refused("# a\nexport MODULES\n", 2, "another use of the variable");
	refused("MODULES=(*)\n", 1, "a glob");

	for (i = 1; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t j = i;

		while (j > 0 && gen_version_cmp(names[j - 1], names[j]) > 0) {
			const char *x = names[j];

			names[j] = names[j - 1];
			names[j - 1] = x;
			j--;
		}
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		in_order &= !strcmp(names[i], sorted[i]);
	ok(in_order, "drop-in names sort as sort -V sorts them");

	return tap_done();
}
