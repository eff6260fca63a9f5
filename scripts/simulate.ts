// npm run simulate -- [--scale district|demo] [--days 30] [--silent 2000] [--sos 500] [--restarts 2]
// A district month on a controlled clock through the real app (bench/simulate/simulation.ts): prints
// whether every silence and SOS reached a person who took responsibility within its ladder, whether the
// special-difficulty elders were visited, whether every daily elder had a check-in duty every day, and
// whether the coverage figures equal the contact ledger. Runs on a fresh in-memory PGlite, or on a new
// database of the PostgreSQL server named by DATABASE_URL (created and dropped). Not part of npm test.
import { parseArgs } from 'node:util';
import { freshDatabase } from '../bench/fresh-db.ts';
import { formatReport, runSimulation } from '../bench/simulate/simulation.ts';
import type { Scale } from '../src/server/modules/demo/demo.generator.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'district' },
    days: { type: 'string', default: '30' },
    silent: { type: 'string', default: '2000' },
    sos: { type: 'string', default: '500' },
    restarts: { type: 'string', default: '2' },
    json: { type: 'string' },
  },
});
const scale = values.scale as Scale;
if (!['demo', 'district'].includes(scale)) {
  console.error(`--scale 只能是 demo 或 district（收到 “${scale}”）`);
  process.exit(2);
}
const num = (name: string, v: string | undefined, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} 应为不小于 ${min} 的整数（收到 “${v}”）`);
    process.exit(2);
  }
  return n;
};
const days = num('days', values.days, 3);
const { database, drop } = await freshDatabase(process.env.DATABASE_URL, 'simulate');
try {
  const report = await runSimulation({
    database,
    scale,
    days,
    silentDays: num('silent', values.silent, 0),
    sos: num('sos', values.sos, 0),
    restarts: num('restarts', values.restarts, 0),
    log: (line) => console.log(line),
  });
  console.log(`\n${formatReport(report)}`);
  if (values.json) {
    const fs = await import('node:fs');
    fs.writeFileSync(values.json, JSON.stringify(report, null, 2));
  }
  const ok =
    report.incidents.late.length === 0 &&
    report.incidents.neverResponsible.length === 0 &&
    report.dailyUncovered.length === 0 &&
    report.dailyWithoutDuty.length === 0 &&
    report.special.unexplained.length === 0 &&
    report.coverage.equal;
  process.exitCode = ok ? 0 : 1;
} finally {
  await drop();
}
