// engine-questions.mjs PREFIX FORM [OUT]...: the question list of FORM as ODK's own
// engine (@getodk/xforms-engine, the engine of ODK Web Forms, installed
// under PREFIX with jsdom) sees it, in the format of questions.awk:
// "KIND PATH", then "label [LANG]: text" per language (hint, choice too).
// Repeats get one instance so that their questions can be listed. With
// pairs FORM OUT the lists go to the OUT files (one node for many forms);
// a form the engine refuses is named on stderr and the exit status is 1.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const [prefix, ...forms] = process.argv.slice(2);
const req = createRequire(join(resolve(prefix), 'package.json'));
const { JSDOM } = req('jsdom');
const dom = new JSDOM('');
for (const k of ['DOMParser', 'XMLSerializer', 'Node', 'document'])
  globalThis[k] = dom.window[k];
const entry = req.resolve('@getodk/xforms-engine');
globalThis.__dirname = dirname(entry); // where its XPath parser's tree-sitter.wasm is
const { createInstance } = await import(entry);

async function questionList(formPath) {
const xml = readFileSync(formPath, 'utf8');
const { root } = await createInstance(xml, { form: {}, instance: { stateFactory: (x) => x } });
// in the form's order (the engine puts the default language first)
const order = [...xml.matchAll(/<translation\b[^>]*\blang="([^"]*)"/g)].map((m) => m[1]);
const langs = root.languages.filter((l) => !l.isSyntheticDefault)
  .sort((a, b) => order.indexOf(a.language) - order.indexOf(b.language));
const clean = (s) => s.replace(/[\t\n\r]/g, ' ').trim();

// Each question once: kind, path, and its texts per language.
const questions = [];
function kindOf(n) {
  const t = n.nodeType;
  if (t.startsWith('repeat-range')) return 'repeat';
  if (t === 'select') return n.selectType === 'select' ? 'select' : 'select1';
  return t;
}
function dynamic(n) {
  const is = n.definition?.bodyElement?.itemset;
  const ns = is?.element?.getAttribute?.('nodeset') ?? is?.nodes?.toString?.() ?? '';
  return /\[|current\(\)|randomize\(/.test(ns);
}
function walk(n) {
  for (const c of n.currentState.children ?? []) {
    const t = c.nodeType;
    if (t === 'repeat-instance') { walk(c); continue; }
    if (t === 'model-value' || t === 'attribute') continue;
    if (t === 'group' && !c.definition.bodyElement) { walk(c); continue; }
    const q = { node: c, kind: kindOf(c), path: c.currentState.reference.replace(/\[\d+\]/g, '') };
    if (!questions.some((o) => o.path === q.path && o.kind === q.kind)) questions.push(q);
    if (t === 'repeat-range:uncontrolled' && c.currentState.children.length === 0)
      c.addInstances(-1, 1);
    walk(c);
  }
}
walk(root);

const texts = new Map(questions.map((q) => [q, { label: [], hint: [], choice: new Map() }]));
for (const lang of langs.length ? langs : [null]) {
  if (lang) root.setLanguage(lang);
  const tag = lang ? ` [${lang.language}]` : '';
  for (const q of questions) {
    const s = q.node.currentState, t = texts.get(q);
    const label = s.label?.asString, hint = s.hint?.asString;
    if (label) t.label.push(`label${tag}: ${clean(label)}`);
    if (hint) t.hint.push(`hint${tag}: ${clean(hint)}`);
    if ((q.kind === 'select1' || q.kind === 'select' || q.kind === 'rank') && !dynamic(q.node))
      for (const o of s.valueOptions ?? []) {
        const l = o.label?.asString;
        if (!t.choice.has(o.value)) t.choice.set(o.value, []);
        if (l) t.choice.get(o.value).push(`choice ${o.value}${tag}: ${clean(l)}`);
      }
  }
}
const out = [];
for (const q of questions) {
  const t = texts.get(q);
  out.push(`${q.kind} ${q.path}`, ...t.label, ...t.hint);
  for (const lines of t.choice.values()) out.push(...lines);
}
return out.join('\n') + '\n';
}


let status = 0;
if (forms.length === 1) {
  process.stdout.write(await questionList(forms[0]));
} else {
  for (let i = 0; i + 1 < forms.length; i += 2) {
    try {
      writeFileSync(forms[i + 1], await questionList(forms[i]));
    } catch (e) {
      console.error(`${forms[i]}: ${e.message}`);
      status = 1;
    }
  }
}
process.exit(status);
