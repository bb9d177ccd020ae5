/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Root-relative file access.  Every tool takes --root DIR and then reads
 * /sys, /proc, /etc, /boot and /lib/modules under DIR.  Under a root every
 * lookup starts from one directory descriptor on DIR: with
 * openat2(RESOLVE_IN_ROOT) the kernel resolves symbolic links (absolute
 * ones from DIR), ".." and magic links so that nothing reaches outside DIR.
 * Where openat2 is missing (kernels before 5.6, seccomp filters answering
 * ENOSYS) root.c's chase() makes the same lookup one component at a time
 * with O_PATH|O_NOFOLLOW: a link is read and followed here against DIR,
 * ".." at DIR stays there, and the last component is opened with
 * O_NOFOLLOW, so a link swapped in meanwhile fails with ELOOP.  That holds
 * for the tree as it is while a path is looked up; what only openat2 holds
 * is a tree changing under the lookup: another process that moves a
 * directory the lookup is in out of DIR can take a later ".." outside
 * (openat2 sees the rename and the lookup is made again).  Without --root
 * (DIR "/") paths are opened with plain openat(): there is no outside.
 */
#ifndef VFIO_ROOT_H
#define VFIO_ROOT_H

#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * dir NULL means "/"; an empty dir is a usage error (exits 2).  Returns 0,
 * or -1 with errno set.
 */
int root_init(const char *dir);
/* The directory given to root_init() without a trailing slash; "" for "/". */
const char *root_prefix(void);

/*
 * The path as the user sees it, for messages: "DIR/etc/default/grub".
 * Returns one of a few static buffers, so a message can name two paths.
 */
const char *root_show(const char *path);

/*
 * A FILE argument as an absolute path of the target system: under a root
 * given with --root, FILE is from its top ("win10.xml" is "/win10.xml");
 * otherwise a relative FILE is from the current directory.  Caller frees;
 * exits when out of memory or the current directory is gone.
 */
char *root_file_arg(const char *file);

/* open(2) of an absolute path of the target system, confined to the root. */
int root_open(const char *path, int flags, mode_t mode);
DIR *root_opendir(const char *path);
/* mkdir -p of an absolute path under the root; 0, or -1 with errno set. */
int root_mkdirs(const char *path, mode_t mode);
int root_stat(const char *path, struct stat *st);

/*
 * Open a sysfs, proc or configuration file to read, without blocking on a
 * FIFO: -1 with EINVAL for a FIFO, socket or device.
 */
int root_open_regular(const char *path);
int root_openat_regular(int dirfd, const char *name);

/*
 * Read a sysfs-style attribute NAME in directory DIRFD with one read(2):
 * NUL-terminated, trailing white space dropped, symbolic links and FIFOs,
 * sockets and devices (a read could block) refused with ELOOP and EINVAL.
 * Returns its length, or -1 with errno set (ENOENT when absent, EFBIG when
 * it does not fit).
 */
ssize_t attr_read(int dirfd, const char *name, char *buf, size_t size);
/* The target of link NAME in DIRFD, NUL-terminated; -1 with errno set. */
ssize_t link_read(int dirfd, const char *name, char *buf, size_t size);
/* The last component of the target of link NAME; -1 with errno set. */
ssize_t link_base(int dirfd, const char *name, char *buf, size_t size);

/*
 * A whole file under the root, NUL-terminated (the NUL not counted in
 * *len).  Caller frees.  NULL with errno set on failure: EINVAL for what
 * is neither a regular file nor a directory (a FIFO, a device), EFBIG beyond
 * ROOT_FILE_MAX: no configuration file is that large, and a sparse or
 * endless file must not exhaust memory.
 */
#define ROOT_FILE_MAX (16u << 20)
char *root_read_file(const char *path, size_t *len);
/* All of FD the same way; EFBIG once more than MAX bytes come. */
char *fd_read_all(int fd, size_t max, size_t *len);
/* All of DATA to FD, through short writes and EINTR; 0, or -1 with errno set. */
int fd_write_all(int fd, const void *data, size_t len);

#endif
