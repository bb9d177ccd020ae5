/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the fuzz targets share.  Each target defines LLVMFuzzerTestOneInput
 * and is linked either with libFuzzer (make fuzz) or with driver.c, which
 * feeds it files (make check: the seeds and the inputs that once broke it).
 *
 * An input is one or more parts separated by NUL bytes: the first is the
 * file the parser reads, so that a real configuration file is an input as
 * it is; the others, where a target has them, say what to change.
 */
#ifndef VFIO_FUZZ_H
#define VFIO_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PARTS 8

struct parts {
	size_t n;
	char *s[FUZZ_MAX_PARTS];	/* NUL-terminated copies */
	size_t len[FUZZ_MAX_PARTS];
};

/* Split DATA at NUL bytes into at most MAX parts; the last takes the rest, NULs and all. */
void parts_split(struct parts *p, const uint8_t *data, size_t size, size_t max);
void parts_free(struct parts *p);

/*
 * A property a target checks: when it does not hold, say which and abort,
 * so that libFuzzer keeps the input as a crash.
 */
#define CHECK(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
noreturn void fuzz_fail(const char *file, int line, const char *what);

/* Out of memory in a target's own steps: not a finding. */
void *fuzz_nonnull(void *p);

/*
 * A scratch directory, made once, that the code under test sees as its
 * --root, for the parsers that read a tree of files.
 */
void fuzz_root(void);
/* Write a file under the root (absolute PATH), making its directories. */
void fuzz_root_put(const char *path, const char *text, size_t len);
/* Empty the root again. */
void fuzz_root_clear(void);
/*
 * Every file under the root, sorted, as "path\0contents\0" one after
 * another, to compare trees by; length in *LEN.
 */
char *fuzz_root_snapshot(size_t *len);

/*
 * An initramfs generator's planning on a configuration tree: part I of
 * the input is file PATHS[I] (up to NPATHS; a NUL byte cannot be in a
 * configuration file, so parts are files).  Properties: a refusal plans
 * nothing; adding the VFIO modules and adding them again changes nothing
 * the second time; taking them out again, and again, changes nothing the
 * second time and gives back the tree byte for byte where it named no
 * VFIO module before.
 */
void fuzz_initramfs(int gen, const char *const *paths, size_t npaths,
		    const uint8_t *data, size_t size);

/* A target of generator GEN whose input parts are the files named after it. */
#define FUZZ_INITRAMFS_TARGET(gen, ...)								\
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)				\
	{											\
		static const char *const paths[] = { __VA_ARGS__ };				\
												\
		fuzz_initramfs(gen, paths, sizeof(paths) / sizeof(paths[0]), data, size);	\
		return 0;									\
	}

#endif

#include "boot/kcmdline.h"

#define FUZZ_MAX_OPS (FUZZ_MAX_PARTS - 1)

/*
 * The kernel parameters to add ("+param") or remove ("-key[=value]") from
 * parts FROM on, as kcmdline-edit takes them: one that kcmdline-edit would
 * refuse is left out.  Without any, a GPU's vfio-pci.ids and the IOMMU
 * pair are added and nomodeset removed.  Returns how many; 0 when two
 * contradict each other, which kcmdline-edit refuses.
 */
size_t fuzz_kparam_ops(const struct parts *p, size_t from, struct kparam_op *ops);
void fuzz_kparam_ops_free(struct kparam_op *ops, size_t n);

/* Whether the kernel's parameters in A and B are the same keys with the same values. */
bool kcmdline_same(const struct kcmdline *a, const struct kcmdline *b);
