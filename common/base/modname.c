/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "base/modname.h"
#include "base/banned.h"

static char dash_to_underscore(char c)
{
	return c == '-' ? '_' : c;
}

char *modname_normalize(char *name)
{
	char *p;

	for (p = name; *p; p++)
		*p = dash_to_underscore(*p);
	return name;
}

bool modname_eqn(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (dash_to_underscore(a[i]) != dash_to_underscore(b[i]))
			return false;
	return true;
}

bool modname_eq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && modname_eqn(a, b, n);
}
