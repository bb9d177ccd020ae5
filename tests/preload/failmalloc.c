/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failmalloc.so: failat.so that makes allocations fail too
 * (FAILAT=malloc:N), for the tests of running out of memory.  Not for
 * AddressSanitizer builds, whose allocator its malloc would replace.
 */
#define FAILAT_MALLOC 1
#include "failat.c"
