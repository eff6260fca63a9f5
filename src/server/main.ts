import { buildApp } from './app.ts';
import { DEMO_PASSWORD, demoLogins, isEmpty, seed } from './modules/demo/demo.generator.ts';
import { demoDeviceHint } from './modules/demo/demo.incidents.ts';
import { backupEmbedded } from './platform/backup.ts';
import { systemClock } from './platform/clock.ts';
import { loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/database.ts';
import { DataDirLockedError } from './platform/db.ts';
import { startSweeper } from './platform/sweeper.ts';
import { ensureWebBuilt } from './web-build.ts';

// config → database → migrations → demo data → roles (api, jobs) → listen
async function main() {
  const config = loadConfig();
  const say = (m: string) => console.log(`[carecircle] ${m}`);
  const database = await openDatabase(config, say);

  const wantDemo = process.argv.includes('--demo');
  const embeddedDev = !config.databaseUrl && config.nodeEnv !== 'production';
  let seeded = false;
  if ((embeddedDev || wantDemo) && (await isEmpty(database.db))) {
    say('empty database: loading the fictional demo district…');
    await seed(database.db, 'demo');
    seeded = true;
  }

  if (config.roles.has('api') && config.serveWeb) await ensureWebBuilt(say);
  const app = await buildApp(
    { database, config, clock: systemClock },
    { logger: { level: config.logLevel }, serveWeb: config.serveWeb },
  );

  // jobs role: the sweeper runs the jobs listed in wiring.ts (timers, and the module events' hand-offs)
  const sweeper = config.roles.has('jobs')
    ? startSweeper(app.deps, {
        intervalMs: config.sweepIntervalMs,
        log: (msg, err) => app.log.error({ err }, msg),
      })
    : null;

  const shutdown = async (signal: string) => {
    say(`${signal}: shutting down`);
    await sweeper?.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  if (database.pglite) {
    // `npm run backup` asks the running server for a backup; the jobs role also makes one a day
    const backup = () =>
      backupEmbedded(database.pglite!, config.dataDir)
        .then((f) => say(`backup written: ${f}`))
        .catch((err) => app.log.error({ err }, 'backup failed'));
    process.on('SIGUSR2', () => void backup());
    if (config.roles.has('jobs') && config.backupIntervalHours > 0) {
      setInterval(() => void backup(), config.backupIntervalHours * 3600_000).unref();
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.roles.has('api')) {
    await app.listen({ port: config.port, host: config.host });
    const url = `http://localhost:${config.port}`;
    console.log(`\n  CareCircle 关爱圈 is running: ${url}   (API docs: ${url}/api/docs)\n`);
    if (seeded || (embeddedDev && !(await isEmpty(database.db)))) {
      console.log(
        `  Demo logins — fictional demo data only (演示账号，仅供演示), password "${DEMO_PASSWORD}":`,
      );
      for (const l of demoLogins) console.log(`    ${l.username.padEnd(12)} ${l.role.padEnd(12)} ${l.name}`);
      // server mode never writes into DATA_DIR: it may be an embedded instance's (its device secret)
      const device = await demoDeviceHint(database.db, config.databaseUrl ? null : config.dataDir);
      if (device) console.log(`\n${device}`);
      console.log('');
    }
  }
}

main().catch((err) => {
  if (err instanceof DataDirLockedError) {
    console.error(`\n${err.message}\n`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
