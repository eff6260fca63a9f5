import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { carerKinds, menuByRole, roles } from '../../shared/auth.ts';
import { orgKinds } from '../../shared/orgs.ts';
import enUS from './en-US.json' with { type: 'json' };
import zhCN from './zh-CN.json' with { type: 'json' };

type Tree = { [k: string]: string | Tree };

function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The base texts plus each feature's own locale file under the feature's key, as lib/i18n.ts merges them. */
function withFeatures(base: Tree, lang: string): Tree {
  const out: Tree = { ...base };
  const features = path.join(webDir, 'features');
  for (const name of fs.readdirSync(features)) {
    const file = path.join(features, name, 'locales', `${lang}.json`);
    if (fs.existsSync(file))
      out[name] = { ...(out[name] as Tree), ...JSON.parse(fs.readFileSync(file, 'utf8')) };
  }
  return out;
}

const zh = flatten(withFeatures(zhCN as Tree, 'zh-CN'));
const en = flatten(withFeatures(enUS as Tree, 'en-US'));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('locale files', () => {
  it('zh-CN and en-US hold the same keys, none empty, with the same placeholders', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [k, v] of zh) {
      expect(v.trim(), k).not.toBe('');
      expect(en.get(k)!.trim(), k).not.toBe('');
      const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(vars(en.get(k)!), k).toEqual(vars(v));
    }
  });

  it('name every role, carer kind, org kind and menu entry', () => {
    for (const r of roles) expect(zh.has(`role.${r}`), r).toBe(true);
    for (const c of carerKinds) expect(zh.has(`carerKind.${c}`), c).toBe(true);
    for (const o of orgKinds) expect(zh.has(`orgKind.${o}`), o).toBe(true);
    for (const k of new Set(Object.values(menuByRole).flat())) expect(zh.has(`menu.${k}`), k).toBe(true);
  });

  it('hold every literal key the web app asks for', () => {
    const missing: string[] = [];
    for (const file of sources(webDir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) {
        if (!zh.has(m[1])) missing.push(`${path.relative(webDir, file)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
