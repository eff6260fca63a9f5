// Administration where there is no demo data (a real deployment's first accounts and org roots):
//   npm run admin -- create-org --tree geo --kind city --name 滨江市 [--parent <id>]
//   npm run admin -- create-user --username wang --name 王主任 --role admin --scope 1,2 [--password …]
//   npm run admin -- list-orgs
//   npm run admin -- unlock --username wang
//   npm run admin -- reset-password --username wang [--password …]
// Runs against DATABASE_URL, or the embedded database under DATA_DIR (stop the server first).
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  createAccountAsSystem,
  resetPasswordAsSystem,
  unlockAsSystem,
} from '../src/server/modules/accounts/accounts.service.ts';
import { insertOrgsBulk, listAllOrgs } from '../src/server/modules/orgs/orgs.service.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { openDatabase } from '../src/server/platform/database.ts';
import { DataDirLockedError } from '../src/server/platform/db.ts';
import { roles } from '../src/shared/auth.ts';
import { newPasswordSchema } from '../src/shared/common-passwords.ts';
import { orgKindChildren } from '../src/shared/orgs.ts';

const [command, ...rest] = process.argv.slice(2);
const { values: v } = parseArgs({
  args: rest,
  options: {
    tree: { type: 'string', default: 'geo' },
    kind: { type: 'string' },
    name: { type: 'string' },
    parent: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string' },
    scope: { type: 'string' },
    'carer-kind': { type: 'string' },
  },
});

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}

/** A given --password meets the same rule as the accounts page (≥ 10 characters, not a common one). */
function checkedPassword(given: string | undefined): string {
  if (given === undefined) return randomBytes(12).toString('base64url');
  const r = newPasswordSchema.safeParse(given);
  if (!r.success) fail(`--password：${r.error.issues[0]?.message}`);
  return given;
}

const usage =
  'usage: npm run admin -- create-org|create-user|list-orgs|unlock|reset-password [options]（见 scripts/admin.ts）';
if (!command) fail(usage);

let database: Awaited<ReturnType<typeof openDatabase>>;
try {
  database = await openDatabase(loadConfig());
} catch (err) {
  if (err instanceof DataDirLockedError) fail(err.message);
  throw err;
}
const db = database.db;
try {
  switch (command) {
    case 'list-orgs': {
      for (const o of await listAllOrgs(db))
        console.log(
          `${String(o.id).padStart(6)}  ${'  '.repeat(o.depth - 1)}${o.name}  (${o.tree}/${o.kind})`,
        );
      break;
    }
    case 'create-org': {
      if (!v.kind || !v.name) fail('create-org 需要 --kind 和 --name');
      const all = await listAllOrgs(db);
      const parent = v.parent ? all.find((o) => o.id === Number(v.parent)) : undefined;
      if (v.parent && !parent) fail(`上级节点 ${v.parent} 不存在`);
      const parentKind = parent ? parent.kind : `root_${v.tree}`;
      if (!orgKindChildren[parentKind]?.includes(v.kind))
        fail(`“${parentKind}”下不能建立 ${v.kind}（可建：${orgKindChildren[parentKind]?.join('、')}）`);
      const [org] = await insertOrgsBulk(db, [
        {
          tree: parent?.tree ?? v.tree!,
          kind: v.kind,
          parentId: parent?.id ?? null,
          parentPath: parent?.path ?? '/',
          name: v.name,
        },
      ]);
      console.log(`created org ${org.id} ${org.path} ${org.name}`);
      break;
    }
    case 'create-user': {
      if (!v.username || !v.role || !v.scope)
        fail('create-user 需要 --username、--role 和 --scope（组织节点 id，逗号分隔）');
      if (!(roles as readonly string[]).includes(v.role)) fail(`--role 只能是 ${roles.join(', ')}`);
      const password = checkedPassword(v.password);
      const user = await createAccountAsSystem(db, {
        username: v.username,
        displayName: v.name ?? v.username,
        password,
        role: v.role,
        carerKind: v['carer-kind'] ?? null,
        scopeOrgIds: v.scope.split(',').map(Number),
      });
      console.log(
        `created user ${user.id} ${user.username} (${user.role})${v.password ? '' : `, password: ${password}`}`,
      );
      break;
    }
    case 'unlock': {
      if (!v.username) fail('unlock 需要 --username');
      console.log((await unlockAsSystem(db, v.username)) ? 'unlocked' : fail(`用户 ${v.username} 不存在`));
      break;
    }
    case 'reset-password': {
      if (!v.username) fail('reset-password 需要 --username');
      const password = checkedPassword(v.password);
      if (!(await resetPasswordAsSystem(db, v.username, password))) fail(`用户 ${v.username} 不存在`);
      console.log(`password reset${v.password ? '' : `: ${password}`}`);
      break;
    }
    default:
      fail(usage);
  }
} finally {
  await database.close();
}
