/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Functions that overflow a buffer the moment a string is longer than
 * thought: use base/strbuf.h, xasprintf() or snprintf() instead.  Every
 * .c file includes this last, after the system headers it uses (whose
 * declarations the macros would otherwise break); a call to one of them
 * then fails to compile, naming it.
 */
#ifndef VFIO_BANNED_H
#define VFIO_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)

#endif
