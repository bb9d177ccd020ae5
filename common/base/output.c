/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <string.h>

#include "base/output.h"
#include "base/banned.h"

void out_init(struct out *o, FILE *f, bool json)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
}

/* Length of the valid UTF-8 sequence at S, 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	int n, i;
	unsigned int cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Printable ASCII that JSON takes as it is. */
static bool json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* STR as a JSON string literal, invalid UTF-8 replaced by U+FFFD. */
static void json_put_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t run;
		int n;

		/* Names are mostly plain: one write for each run of it. */
		for (run = 0; json_plain(s[run]); run++)
			;
		if (run) {
			fwrite(s, 1, run, f);
			s += run;
			continue;
		}
		switch (*s) {
		case '"':  fputs("\\\"", f); s++; continue;
		case '\\': fputs("\\\\", f); s++; continue;
		case '\n': fputs("\\n", f); s++; continue;
		case '\t': fputs("\\t", f); s++; continue;
		case '\r': fputs("\\r", f); s++; continue;
		default:
			break;
		}
		if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\u%04x", *s);
			s++;
			continue;
		}
		n = utf8_len(s);
		if (n == 0) {
			fputs("\\ufffd", f);
			s++;
			continue;
		}
		fwrite(s, 1, (size_t)n, f);
		s += n;
	}
	fputc('"', f);
}

/*
 * Comma, newline and indent before a JSON member, then its key.  This
 * comes before every value: a plain key goes out with it in one write.
 */
static void json_key(struct out *o, const char *key)
{
	char buf[128];
	size_t n = 0, k = 0;
	int i;

	if (o->depth > 0) {
		if (o->has_items[o->depth - 1])
			buf[n++] = ',';
		o->has_items[o->depth - 1] = true;
		buf[n++] = '\n';
	}
	for (i = 0; i < o->depth; i++) {
		if (n + 2 > sizeof(buf)) {
			fwrite(buf, 1, n, o->f);
			n = 0;
		}
		buf[n++] = ' ';
		buf[n++] = ' ';
	}
	if (key)
		while (json_plain((unsigned char)key[k]))
			k++;
	if (key && !key[k] && n + k + 4 <= sizeof(buf)) {
		buf[n++] = '"';
		memcpy(buf + n, key, k);
		n += k;
		memcpy(buf + n, "\": ", 3);
		n += 3;
		key = NULL;
	}
	fwrite(buf, 1, n, o->f);
	if (key) {
		json_put_string(o->f, key);
		fputs(": ", o->f);
	}
}

static void open_(struct out *o, const char *key, char c)
{
	if (!o->json)
		return;
	json_key(o, key);
	fputc(c, o->f);
	if (o->depth < OUT_MAX_DEPTH)
		o->has_items[o->depth] = false;
	o->depth++;
}

static void close_(struct out *o, char c)
{
	int i;

	if (!o->json)
		return;
	o->depth--;
	if (o->depth < OUT_MAX_DEPTH && o->has_items[o->depth]) {
		fputc('\n', o->f);
		for (i = 0; i < o->depth; i++)
			fputs("  ", o->f);
	}
	fputc(c, o->f);
}

void out_object_begin(struct out *o, const char *key) { open_(o, key, '{'); }
void out_object_end(struct out *o) { close_(o, '}'); }
void out_array_begin(struct out *o, const char *key) { open_(o, key, '['); }
void out_array_end(struct out *o) { close_(o, ']'); }

void out_string(struct out *o, const char *key, const char *label, const char *val)
{
	if (o->json) {
		json_key(o, key);
		if (val)
			json_put_string(o->f, val);
		else
			fputs("null", o->f);
	} else if (label && val) {
		fprintf(o->f, "%s%s", label, val);
	}
}

void out_uint(struct out *o, const char *key, const char *label, unsigned long val)
{
	if (o->json) {
		json_key(o, key);
		fprintf(o->f, "%lu", val);
	} else if (label) {
		fprintf(o->f, "%s%lu", label, val);
	}
}

void out_int(struct out *o, const char *key, const char *label, long val)
{
	if (o->json) {
		json_key(o, key);
		fprintf(o->f, "%ld", val);
	} else if (label) {
		fprintf(o->f, "%s%ld", label, val);
	}
}

void out_bool(struct out *o, const char *key, const char *label, bool val)
{
	if (o->json) {
		json_key(o, key);
		fputs(val ? "true" : "false", o->f);
	} else if (label) {
		fprintf(o->f, "%s%s", label, val ? "yes" : "no");
	}
}

void out_null(struct out *o, const char *key)
{
	if (o->json) {
		json_key(o, key);
		fputs("null", o->f);
	}
}

void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

void out_finish(struct out *o)
{
	if (o->json)
		fputc('\n', o->f);
}
