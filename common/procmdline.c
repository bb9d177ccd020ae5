#include <stdlib.h>
#include <string.h>

#include "procmdline.h"
#include "root.h"

/* KEY and K equal with '-' and '_' alike, as the kernel compares parameter names. */
static bool key_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

int proc_cmdline_parse(struct proc_cmdline *c, const char *text)
{
	const char *p = text;

	memset(c, 0, sizeof(*c));
	while (*p) {
		const char *start, *eq = NULL;
		char *word, *w;
		bool quoted = false;
		size_t len;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		start = p;
		for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
			if (*p == '"')
				quoted = !quoted;
			else if (*p == '=' && !eq && !quoted)
				eq = p;
		}
		len = (size_t)(p - start);
		/* the kernel drops the quotes around a value: foo="a b" is foo=a b */
		word = malloc(len + 1);
		if (!word)
			return -1;
		for (w = word; start < p; start++)
			if (*start != '"')
				*w++ = *start;
		*w = '\0';
		c->key = realloc(c->key, (c->n + 1) * sizeof(*c->key));
		c->val = realloc(c->val, (c->n + 1) * sizeof(*c->val));
		if (!c->key || !c->val) {
			free(word);
			return -1;
		}
		w = eq ? strchr(word, '=') : NULL;
		if (w)
			*w++ = '\0';
		c->key[c->n] = word;
		c->val[c->n] = w;
		c->n++;
	}
	return 0;
}

int proc_cmdline_read(struct proc_cmdline *c)
{
	size_t len;
	char *text = root_read_file("/proc/cmdline", &len);
	int r;

	memset(c, 0, sizeof(*c));
	if (!text)
		return -1;
	r = proc_cmdline_parse(c, text);
	free(text);
	return r;
}

void proc_cmdline_free(struct proc_cmdline *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->key[i]);
	free(c->key);
	free(c->val);
	memset(c, 0, sizeof(*c));
}

bool proc_cmdline_get(const struct proc_cmdline *c, const char *key, const char **val)
{
	size_t i = c->n;

	while (i--)
		if (key_equal(c->key[i], key)) {
			*val = c->val[i];
			return true;
		}
	return false;
}

bool proc_cmdline_has(const struct proc_cmdline *c, const char *key, const char *value)
{
	const char *v;

	return proc_cmdline_get(c, key, &v) && v && param_list_has(v, NULL, value);
}

const char *proc_cmdline_iommu_off(const struct proc_cmdline *c)
{
	static const char *const keys[] = { "intel_iommu", "amd_iommu", "iommu" };
	static char buf[32];
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (proc_cmdline_get(c, keys[i], &v) && v && param_list_has(v, NULL, "off")) {
			strcpy(buf, keys[i]);
			strcat(buf, "=off");
			return buf;
		}
	return NULL;
}

bool param_list_has(const char *s, const char *key, const char *item)
{
	size_t klen = key ? strlen(key) : 0, ilen = strlen(item);
	const char *p = s, *end;

	if (key) {
		for (p = s; (p = strstr(p, key)); p += klen)
			if ((p == s || p[-1] == ' ') && p[klen] == '=')
				break;
		if (!p)
			return false;
		p += klen + 1;
	}
	end = p + strcspn(p, " \t\n");
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t len = (size_t)((comma ? comma : end) - p);

		if (len == ilen && !strncasecmp(p, item, ilen))
			return true;
		p += len + 1;
	}
	return false;
}
