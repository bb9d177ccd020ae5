/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Text and JSON from the same calls; JSON stays valid whatever the strings hold. */
#include <stdlib.h>

#include "base/output.h"
#include "tap.h"

static char *capture(void (*fn)(struct out *), int json)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct out o;

	out_init(&o, f, json);
	fn(&o);
	out_finish(&o);
	fclose(f);
	return buf;
}

static void record(struct out *o)
{
	out_object_begin(o, NULL);
	out_string(o, "name", "name=", "a \"quoted\"\\ name\n\x01");
	out_uint(o, "group", " group=", 18);
	out_int(o, "node", " node=", -1);
	out_bool(o, "isolated", " isolated=", true);
	out_string(o, "driver", " driver=", NULL);
	out_array_begin(o, "list");
	out_string(o, NULL, NULL, "flr");
	out_string(o, NULL, NULL, "bus");
	out_array_end(o);
	out_array_begin(o, "empty");
	out_array_end(o);
	out_text(o, "\n");
	out_object_end(o);
}

static void bad_utf8(struct out *o)
{
	out_object_begin(o, NULL);
	out_string(o, "s", NULL, "ok \xc3\xa9 bad \xff \xc3 end \xed\xa0\x80");
	out_object_end(o);
}

int main(void)
{
	is_str(capture(record, 0),
	       "name=a \"quoted\"\\ name\n\x01 group=18 node=-1 isolated=yes\n",
	       "text mode prints labels and values, skips null and arrays");
	is_str(capture(record, 1),
	       "{\n"
	       "  \"name\": \"a \\\"quoted\\\"\\\\ name\\n\\u0001\",\n"
	       "  \"group\": 18,\n"
	       "  \"node\": -1,\n"
	       "  \"isolated\": true,\n"
	       "  \"driver\": null,\n"
	       "  \"list\": [\n"
	       "    \"flr\",\n"
	       "    \"bus\"\n"
	       "  ],\n"
	       "  \"empty\": []\n"
	       "}\n",
	       "JSON escapes quotes, backslashes and control characters");
	is_str(capture(bad_utf8, 1),
	       "{\n  \"s\": \"ok \xc3\xa9 bad \\ufffd \\ufffd end \\ufffd\\ufffd\\ufffd\"\n}\n",
	       "invalid UTF-8 becomes U+FFFD, valid UTF-8 is kept");
	return tap_done();
}
