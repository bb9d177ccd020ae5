#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compare two XML documents element by element, with Python's own parser.

Prints one line per difference, in document order:
  + PATH a=v ...        an element only in NEW, with its attributes
  - PATH a=v ...        an element only in OLD
  ~ PATH @a: x -> y     an attribute changed (y '(none)' when gone)
  ~ PATH text: x -> y   an element's text changed
  + PATH <!--c-->       a comment (or - for one gone)
Children are matched in order by tag; white space between elements is
not compared.  Prints nothing when the documents say the same thing.
Given several pairs (OLD NEW OLD NEW ...), each report starts with a line
"== NEW".
"""
import difflib
import sys
import xml.etree.ElementTree as ET


def load(path):
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    with open(path, 'rb') as f:
        parser.feed(f.read())
    return parser.close()


def key(e):
    return '<!--' + (e.text or '') + '-->' if e.tag is ET.Comment else e.tag


def attrs(e):
    return ''.join(' %s=%s' % (k, v) for k, v in sorted(e.attrib.items()))


def text(e):
    return (e.text or '').strip()


def walk(tag, e, path, out):
    if e.tag is ET.Comment:
        out.append('%s %s %s' % (tag, path, key(e)))
        return
    path = path + '/' + e.tag
    out.append('%s %s%s' % (tag, path, attrs(e)))
    for c in e:
        walk(tag, c, path, out)


def compare(a, b, path, out):
    path = path + '/' + a.tag
    for k in sorted(set(a.attrib) | set(b.attrib)):
        x, y = a.attrib.get(k, '(none)'), b.attrib.get(k, '(none)')
        if x != y:
            out.append('~ %s @%s: %s -> %s' % (path, k, x, y))
    if text(a) != text(b):
        out.append('~ %s text: %s -> %s' % (path, text(a), text(b)))
    ka, kb = [key(c) for c in a], [key(c) for c in b]
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == 'equal':
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if a[i].tag is not ET.Comment:
                    compare(a[i], b[j], path, out)
            continue
        for i in range(i1, i2):
            walk('-', a[i], path, out)
        for j in range(j1, j2):
            walk('+', b[j], path, out)


def main():
    args = sys.argv[1:]
    for i in range(0, len(args) - 1, 2):
        a, b = load(args[i]), load(args[i + 1])
        out = ['== ' + args[i + 1]] if len(args) > 2 else []
        if a.tag != b.tag:
            out.append('~ / root: %s -> %s' % (a.tag, b.tag))
        else:
            compare(a, b, '', out)
        for line in out:
            print(line)


main()
