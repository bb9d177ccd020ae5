/*
 * The running kernel's command line (/proc/cmdline) as the kernel parsed
 * it: parameters split at spaces outside double quotes, keys compared
 * with '-' and '_' alike, the last of repeated parameters in effect.
 */
#ifndef VFIO_PROCMDLINE_H
#define VFIO_PROCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct proc_cmdline {
	char **key, **val;	/* val NULL for a bare word */
	size_t n;
};

/* Returns 0, or -1 with errno set when /proc/cmdline cannot be read. */
int proc_cmdline_read(struct proc_cmdline *c);
/* Split TEXT; returns 0, or -1 on allocation failure. */
int proc_cmdline_parse(struct proc_cmdline *c, const char *text);
void proc_cmdline_free(struct proc_cmdline *c);

/* Whether KEY is given; *VAL is its last value (NULL for a bare KEY). */
bool proc_cmdline_get(const struct proc_cmdline *c, const char *key, const char **val);
/* Whether KEY's last value is VALUE. */
bool proc_cmdline_has(const struct proc_cmdline *c, const char *key, const char *value);
/* "intel_iommu=off", "amd_iommu=off" or "iommu=off" when one is in effect, else NULL. */
const char *proc_cmdline_iommu_off(const struct proc_cmdline *c);

/*
 * Whether ITEM is in a comma-separated list: S itself when KEY is NULL,
 * else the value of KEY= among S's space-separated options
 * ("ids=1002:73ff,1002:ab28 disable_vga=1").
 */
bool param_list_has(const char *s, const char *key, const char *item);

#endif
