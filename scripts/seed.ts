// npm run seed -- --scale demo|district|city
// Writes a fictional deployment in bulk into the configured database (DATABASE_URL, or the embedded
// one under DATA_DIR — stop the server first: the embedded database allows one process).
import { parseArgs } from 'node:util';
import { isEmpty, type Scale, seed } from '../src/server/modules/demo/demo.generator.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { openDatabase } from '../src/server/platform/database.ts';
import { DataDirLockedError } from '../src/server/platform/db.ts';

const { values } = parseArgs({ options: { scale: { type: 'string', default: 'demo' } } });
const scale = values.scale as Scale;
if (!['demo', 'district', 'city'].includes(scale)) {
  console.error(`--scale 只能是 demo、district 或 city（收到 “${scale}”）`);
  process.exit(2);
}
try {
  const database = await openDatabase(loadConfig(), (m) => console.log(m));
  if (!(await isEmpty(database.db))) {
    console.error('数据库中已有数据：请在空数据库上生成（Database is not empty: seed an empty database).');
    await database.close();
    process.exit(2);
  }
  const t0 = Date.now();
  const r = await seed(database.db, scale);
  console.log(
    `seeded ${scale}: ${JSON.stringify({ ...r, city: undefined, district: undefined, streets: r.streets.length, communities: r.communities.length, grids: r.grids.length, units: undefined, departments: undefined })} in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
  await database.close();
} catch (err) {
  if (err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
