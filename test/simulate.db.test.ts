import { afterAll, describe, expect, it } from 'vitest';
import { runSimulation, type SimulationReport } from '../bench/simulate/simulation.ts';
import type { Database } from '../src/server/platform/db.ts';
import { createTestDatabase } from './test-db.ts';

// The promise, measured small: `npm run simulate` (a district month) cut to the demo district over
// three days, through the real app on this run's database. Every silence and SOS reaches a person who
// takes responsibility within its ladder, across a server restart mid-ladder; every daily elder has a
// check-in duty every day and is reached, checked in or alerted; the coverage screen equals the ledger.
describe('a small simulated stretch of the demo district', () => {
  let database: Database;
  let r: SimulationReport;
  afterAll(async () => database?.close());

  it('runs three days with silences, SOS, relatives, a dispatcher and a restart', {
    timeout: 600_000,
  }, async () => {
    database = await createTestDatabase();
    r = await runSimulation({
      database,
      scale: 'demo',
      days: 3,
      silentDays: 15,
      sos: 8,
      restarts: 1,
      seed: 7,
    });
    expect(r.errors).toEqual([]);
    expect(r.restarts).toHaveLength(1);
    expect(r.contacts.sent).toBeGreaterThan(100);
    expect(r.contacts.replays).toBeGreaterThan(0);
  });

  it('every incident reached a person who took responsibility within its ladder', () => {
    expect(r.incidents.total).toBeGreaterThanOrEqual(8);
    expect(r.incidents.byKind.no_contact_deadline).toBeGreaterThan(0);
    expect(r.incidents.late).toEqual([]);
    expect(r.incidents.neverResponsible).toEqual([]);
  });

  it('every daily elder had a check-in duty each day, and each day was reached, checked in or alerted', () => {
    expect(r.dailyWithoutDuty).toEqual([]);
    expect(r.dailyUncovered).toEqual([]);
  });

  it('the coverage figures equal a count of the contact ledger, and no special elder is missed unexplained', () => {
    expect(r.coverage.api).toBe(r.coverage.ledger);
    expect(r.coverage.ledger).toBeGreaterThan(0);
    expect(r.special.unexplained).toEqual([]);
  });
});
