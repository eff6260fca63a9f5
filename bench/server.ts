// The app as the benchmarks load it, in its own process: the real app plus a hello-world route
// (the ceiling of this process), on DATABASE_URL or a temporary embedded database.
import { buildApp } from '../src/server/app.ts';
import { isEmpty, seed } from '../src/server/modules/demo/demo.generator.ts';
import { systemClock } from '../src/server/platform/clock.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { openDatabase } from '../src/server/platform/database.ts';

const config = loadConfig({ ...process.env, LOGIN_RATE_LIMIT: '100000' });
const database = await openDatabase(config);
if (await isEmpty(database.db)) await seed(database.db, 'demo');
const app = await buildApp({ database, config, clock: systemClock });
app.get('/bench/hello', async () => ({ hello: 'world' }));
await app.listen({ port: config.port, host: '127.0.0.1' });
process.send?.({ ready: true, port: config.port });
process.on('SIGTERM', async () => {
  await app.close();
  await database.close();
  process.exit(0);
});
