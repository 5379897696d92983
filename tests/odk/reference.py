#!/usr/bin/env python3
"""reference.py FORM.xml: the question list of an ODK XForm, read with
Python's own XML parser, independently of imas-survey's loader, in the
format of tests/odk/questions.awk:

    KIND PATH
    label [LANG]: text        (hint, choice VALUE too; "label: text" in a
                               form without translations; "(missing)" where
                               a language has no text of its own)

It wrote the references tests/data/forms/real/*.questions once; make
check compares the loader with them (tests/forms-corpus.sh). Run it again
only for a new form, and read what it wrote against the form.

Rules (ODK XForms spec, as JavaRosa reads it): controls in document order;
refs relative to the enclosing group/repeat or the instance root; a group
without a ref is not a question (its controls are); a group holding a
repeat of the same path is that repeat; an <input> bound readonly="true()"
with a string (or no) type is a note; itext: <value> without form=, else
long, else short; default language: the translation with a default
attribute, else the first; <output/> parts are left out; choices of
itemsets over a secondary instance without a filter are listed."""
import re
import sys
import xml.etree.ElementTree as ET

XF = "http://www.w3.org/2002/xforms"
H = "http://www.w3.org/1999/xhtml"
JR = "http://openrosa.org/javarosa"
ODK = "http://www.opendatakit.org/xforms"
OUT = "\x00"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def ns(tag):
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def norm(path):
    steps = []
    for s in path.split("/"):
        s = s.strip()
        if s in ("", "."):
            continue
        if s == "..":
            steps.pop()
            continue
        steps.append(s.split(":")[-1])
    return "/" + "/".join(steps)


def join(ctx, ref):
    ref = ref.strip()
    return norm(ref) if ref.startswith("/") else norm(ctx + "/" + ref)


def flat(s):
    """Newlines and tabs to spaces, ends trimmed, outputs left out."""
    s = re.sub(r"[\t\n\r]", " ", s).strip(" \t\n\r")
    return s.replace(OUT, "")


def mixed(el):
    """Text of an element with <output/> as a placeholder."""
    parts = [el.text or ""]
    for c in el:
        parts.append(OUT if local(c.tag) == "output" else "".join(c.itertext()))
        parts.append(c.tail or "")
    return "".join(parts)


class Form:
    def __init__(self, path):
        self.root = ET.parse(path).getroot()
        head = self.root.find("{%s}head" % H)
        model = head.find("{%s}model" % XF)
        inst = model.findall("{%s}instance" % XF)
        self.main = list(inst[0])[0]
        self.rootpath = "/" + local(self.main.tag)
        self.secondary = {i.get("id"): i for i in inst[1:]}
        self.binds = {}
        for b in model.findall("{%s}bind" % XF):
            p = join(self.rootpath, b.get("nodeset") or b.get("ref"))
            self.binds.setdefault(p, {}).update({k: v for k, v in b.attrib.items()})
        self.langs, self.itext, default = [], {}, None
        itext = model.find("{%s}itext" % XF)
        for t in (itext if itext is not None else []):
            lang = t.get("lang")
            self.langs.append(lang)
            d = t.get("default")
            if d is not None and d not in ("false()", "false") and default is None:
                default = lang
            for text in t.findall("{%s}text" % XF):
                vals = {v.get("form"): v for v in text.findall("{%s}value" % XF)}
                v = next((vals[k] for k in (None, "long", "short") if k in vals), None)
                if v is not None:
                    self.itext.setdefault(text.get("id"), {})[lang] = mixed(v)
        self.out = []

    def text_lines(self, what, el):
        if el is None:
            return
        ref = el.get("ref")
        m = re.match(r"\s*jr:itext\(\s*'([^']*)'\s*\)\s*$", ref or "")
        if m:
            tr = self.itext.get(m.group(1), {})
            if not self.langs:
                return
            for lang in self.langs:
                v = tr.get(lang)
                shown = flat(v) if v is not None and flat(v.replace(OUT, "x")) else "(missing)"
                self.out.append("%s [%s]: %s" % (what, lang, shown))
            return
        text = mixed(el)
        if not flat(text.replace(OUT, "x")):
            return
        if not self.langs:
            self.out.append("%s: %s" % (what, flat(text)))
        for lang in self.langs:
            self.out.append("%s [%s]: %s" % (what, lang, flat(text)))

    def itemset_items(self, itemset):
        nodeset = itemset.get("nodeset", "").strip()
        m = re.match(r"instance\(\s*'([^']+)'\s*\)((?:/[\w.:-]+)+)$", nodeset)
        if not m or m.group(1) not in self.secondary:
            return []  # filtered or computed: choices only with a record
        nodes = [self.secondary[m.group(1)]]
        for step in m.group(2).strip("/").split("/"):
            nodes = [c for n in nodes for c in n if local(c.tag) == step.split(":")[-1]]
        value_ref = itemset.find("{%s}value" % XF).get("ref").strip()
        label_ref = itemset.find("{%s}label" % XF).get("ref").strip()
        lm = re.match(r"jr:itext\((.*)\)$", label_ref)
        items = []
        for n in nodes:
            child = {local(c.tag): "".join(c.itertext()).strip() for c in n}
            value = child.get(value_ref, "")
            if not value:
                continue
            if lm:
                label = ET.Element("label", ref="jr:itext('%s')" % child.get(lm.group(1).strip(), ""))
            else:
                label = ET.Element("label")
                label.text = child.get(label_ref, "")
            items.append((value, label))
        return items

    def control(self, el, ctx):
        kind = local(el.tag)
        if kind == "rank" and ns(el.tag) != ODK:
            return
        if kind not in ("group", "repeat", "input", "select1", "select", "trigger", "range",
                        "rank", "upload"):
            return
        ref = el.get("nodeset" if kind == "repeat" else "ref")
        path = join(ctx, ref) if ref else None
        label, hint = el.find("{%s}label" % XF), el.find("{%s}hint" % XF)
        if kind == "group" and not path:
            self.walk(el, ctx)
            return
        if kind == "group":
            first = next((c for c in el if local(c.tag) not in ("label", "hint")), None)
            if first is not None and local(first.tag) == "repeat" and \
                    join(path, first.get("nodeset")) == path:
                self.out.append("repeat " + path)
                self.text_lines("label", label)
                self.text_lines("hint", hint)
                self.text_lines("label", first.find("{%s}label" % XF))
                self.text_lines("hint", first.find("{%s}hint" % XF))
                self.walk(first, path)
                for c in el:
                    if c is not first:
                        self.control(c, path)
                return
        bind = self.binds.get(path, {})
        if kind == "input" and re.fullmatch(r"\s*true\(\)\s*", bind.get("readonly", "")) and \
                bind.get("type", "string").split(":")[-1] == "string":
            kind = "note"
        self.out.append("%s %s" % (kind, path))
        self.text_lines("label", label)
        self.text_lines("hint", hint)
        if kind in ("select1", "select", "rank"):
            items = []
            for c in el:
                if local(c.tag) == "item":
                    items.append(("".join(c.find("{%s}value" % XF).itertext()).strip(),
                                  c.find("{%s}label" % XF)))
                elif local(c.tag) == "itemset":
                    items += self.itemset_items(c)
            for value, lab in items:
                self.text_lines("choice " + value, lab)
        if kind in ("group", "repeat"):
            self.walk(el, path)

    def walk(self, el, ctx):
        for c in el:
            if local(c.tag) not in ("label", "hint"):
                self.control(c, ctx)


def main():
    f = Form(sys.argv[1])
    f.walk(f.root.find("{%s}body" % H), f.rootpath)
    print("\n".join(f.out))


if __name__ == "__main__":
    main()
