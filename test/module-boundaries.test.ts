import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// One owner per table (issue 12, item 4): a module's tables are the ones its `*.schema.ts` declares,
// and only that module names them in SQL or imports them. Another module reads them through the
// owner's exports: a function, or — where a set-based hot path must join for speed — a SQL fragment
// the owner exports (a row source standing in for its table, or a predicate over it), with the join
// named in a comment beside it (`-- joins elders via elders.elderRows`).

const root = resolve(import.meta.dirname, '../src/server/modules');

/** Modules that may read anything: reports rolls up every module's rows; demo writes the fictional district. */
const exemptModules = ['reports', 'demo'];
/** Files on their way out of their module (none today). */
const exemptFiles: RegExp[] = [];
/** Foreign keys name other modules' tables by necessity; tests and their fixtures build any data. */
const notSource = /\.(schema|test|fixtures)\.tsx?$|\.d\.ts$/;

/**
 * The fragments owners export for other modules' joins. A caller using one names the join in a
 * comment: `joins <table> via <module>.<name>`.
 */
const sharedFragments: { module: string; file: string; name: string; tables: string[] }[] = [
  { module: 'orgs', file: 'orgs/orgs.rows.ts', name: 'orgRows', tables: ['orgs'] },
  { module: 'accounts', file: 'accounts/accounts.rows.ts', name: 'accountRows', tables: ['users'] },
  { module: 'accounts', file: 'accounts/accounts.rows.ts', name: 'scopeRows', tables: ['user_scopes'] },
  { module: 'care', file: 'care/care.rows.ts', name: 'contactRows', tables: ['contacts'] },
  { module: 'elders', file: 'elders/elders.rows.ts', name: 'elderRows', tables: ['elders'] },
  {
    module: 'elders',
    file: 'elders/elders.rows.ts',
    name: 'conditionCountOf',
    tables: ['elder_conditions'],
  },
  {
    module: 'elders',
    file: 'elders/elders.rows.ts',
    name: 'openAdmissionOf',
    tables: ['hospital_stays'],
  },
  {
    module: 'elders',
    file: 'elders/elders.match.ts',
    name: 'matchCondition',
    tables: ['elders', 'doctor_contracts', 'hospital_stays'],
  },
  { module: 'elders', file: 'elders/elders.match.ts', name: 'eldersMatching', tables: ['elders'] },
  {
    module: 'elders',
    file: 'elders/elders.repo.ts',
    name: 'contractedDoctorsOf',
    tables: ['doctor_contracts'],
  },
  { module: 'elders', file: 'elders/elders.access.ts', name: 'visibleElders', tables: ['elders'] },
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

const files = walk(root).map((abs) => ({ abs, rel: relative(root, abs).replaceAll('\\', '/') }));
const moduleOf = (rel: string) => rel.split('/')[0];

/** table → owning module, from the `pgTable('name', …)` declarations of each module's schema files */
const owners = new Map<string, string>();
for (const f of files.filter((x) => x.rel.endsWith('.schema.ts'))) {
  for (const m of readFileSync(f.abs, 'utf8').matchAll(/pgTable\(\s*'([a-z_0-9]+)'/g)) {
    owners.set(m[1], moduleOf(f.rel));
  }
}

/** The text without comments (`//`, `/* *\/`, SQL `--`), so a comment may name any table. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|[\s;{}])\/\/.*$/gm, '$1')
    .replace(/--.*$/gm, '');
}

/** Tables a source names as a relation: after FROM, JOIN, UPDATE, INTO, USING or TABLE. */
function tablesNamed(text: string): string[] {
  const out: string[] = [];
  const re = /\b(?:from|join|update|into|using|table)\s+(?:only\s+)?"?([a-z_][a-z_0-9]*)"?(?![\w.(])/gi;
  for (const m of code(text).matchAll(re)) if (owners.has(m[1])) out.push(m[1]);
  return out;
}

/** Other modules' schema files a source imports (relative import paths resolved). */
function schemaImports(abs: string, text: string): string[] {
  const out: string[] = [];
  for (const m of code(text).matchAll(/from\s+'(\.[^']+\.schema(?:\.ts)?)'/g)) {
    out.push(relative(root, resolve(dirname(abs), m[1])).replaceAll('\\', '/'));
  }
  return out;
}

const checked = files.filter(
  (f) =>
    !exemptModules.includes(moduleOf(f.rel)) &&
    !exemptFiles.some((re) => re.test(f.rel)) &&
    !notSource.test(f.rel),
);

describe('one owner per table', () => {
  it('knows the owner of every table', () => {
    expect(owners.get('elders')).toBe('elders');
    expect(owners.get('users')).toBe('accounts');
    expect(owners.get('duties')).toBe('care');
    expect(owners.get('care_referrals')).toBe('referrals');
    expect(tablesNamed('sql`SELECT u.id FROM users u JOIN orgs o ON o.id = 1 -- joins elders`')).toEqual([
      'users',
      'orgs',
    ]);
    expect(tablesNamed('UPDATE duties d SET x = 1 FROM unnest($1) AS v(id)')).toEqual(['duties']);
  });

  it("no module names another module's table in SQL", () => {
    const found: string[] = [];
    for (const f of checked) {
      const mine = moduleOf(f.rel);
      for (const t of tablesNamed(readFileSync(f.abs, 'utf8'))) {
        if (owners.get(t) !== mine) found.push(`${f.rel}: ${t} (owned by ${owners.get(t)})`);
      }
    }
    expect(found).toEqual([]);
  });

  it("no module imports another module's schema", () => {
    const found: string[] = [];
    for (const f of checked) {
      for (const s of schemaImports(f.abs, readFileSync(f.abs, 'utf8'))) {
        if (moduleOf(s) !== moduleOf(f.rel)) found.push(`${f.rel} imports ${s}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('every shared fragment is exported by the module owning its tables', () => {
    for (const s of sharedFragments) {
      expect(moduleOf(s.file)).toBe(s.module);
      for (const t of s.tables) expect(owners.get(t), `${s.name}: ${t}`).toBe(s.module);
      const text = readFileSync(join(root, s.file), 'utf8');
      expect(text, `${s.file} exports ${s.name}`).toMatch(
        new RegExp(`export (const|function|async function) ${s.name}\\b`),
      );
    }
  });

  it('a join through a shared fragment is named in a comment, and the comment names a real one', () => {
    const found: string[] = [];
    for (const f of checked) {
      const text = readFileSync(f.abs, 'utf8');
      const mine = moduleOf(f.rel);
      for (const m of text.matchAll(/joins ([a-z_]+) via ([a-z]+)\.([A-Za-z]+)/g)) {
        const [, table, module, name] = m;
        const s = sharedFragments.find((x) => x.module === module && x.name === name);
        if (!s?.tables.includes(table))
          found.push(`${f.rel}: unknown fragment ${module}.${name} for ${table}`);
        else if (
          !new RegExp(`\\b${name}\\b`).test(code(text).replace(/import[^;]*;/g, '')) &&
          module !== mine
        )
          found.push(`${f.rel}: names ${module}.${name} but does not use it`);
      }
      for (const s of sharedFragments) {
        if (s.module === mine || !s.name.endsWith('Rows')) continue;
        if (!new RegExp(`\\b${s.name}\\b`).test(code(text))) continue;
        if (!new RegExp(`joins (${s.tables.join('|')}) via ${s.module}\\.${s.name}\\b`).test(text))
          found.push(`${f.rel}: uses ${s.module}.${s.name} without naming the join`);
      }
    }
    expect(found).toEqual([]);
  });
});
