import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeTree, type TestApp, type TestTree } from '../../../../test/helpers.ts';
import { elderBasics } from './elder-facts.ts';
import { makeElder } from './incidents.fixtures.ts';

let t: TestApp;
let tree: TestTree;
beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
});
afterAll(() => t.close());

describe('elder basics for messages and the console', () => {
  it('adds 幢/单元/室 only where the registry did not write them already', async () => {
    const bare = await makeElder(t.database, tree.communityA1);
    expect((await elderBasics(t.database.db, bare.id))?.address).toBe('湖滨路 12 号 3幢 402室');
    const written = await makeElder(t.database, tree.communityA1);
    await t.database.db.execute(
      sql`UPDATE elders SET building = '15幢', unit = '1单元', room = '302室' WHERE id = ${written.id}`,
    );
    expect((await elderBasics(t.database.db, written.id))?.address).toBe('湖滨路 12 号 15幢 1单元 302室');
  });
});
