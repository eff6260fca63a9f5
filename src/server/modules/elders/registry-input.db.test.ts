import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  makeTree,
  makeUser,
  signIn,
  type TestApp,
  type TestTree,
} from '../../../../test/helpers.ts';
import { idNumberCheckChar, makeIdNumber } from '../../../shared/id-number.ts';
import { PHONE_MESSAGE } from '../../../shared/phone.ts';

// Issue 11.9 through HTTP: one phone rule, stored normalised; names over the limit refused, never cut;
// an ID number error that does not give away the right check character.

let t: TestApp;
let tree: TestTree;
let coord: Client;
let admin: Client;

type Detail = { field: string; message: string };
type Res = { statusCode: number; json(): { error: { details: Detail[] } } };
const detail = (res: Res, field: string) => res.json().error.details.find((d) => d.field === field);

let seq = 100;
const elder = (over: Record<string, unknown> = {}) => ({
  name: '朱永福',
  idNumber: makeIdNumber('330102', '1936-03-08', ++seq),
  phones: [],
  orgId: tree.gridA1.id,
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  tree = await makeTree(t.database);
  const c = await makeUser(t.database, 'coordinator', [tree.streetA.id]);
  coord = await signIn(t.app, c.username, c.password);
  const a = await makeUser(t.database, 'admin', [tree.city.id]);
  admin = await signIn(t.app, a.username, a.password);
});
afterAll(() => t.close());

const count = async () => (await coord.get('/api/elders?limit=200')).json().items.length as number;

describe('phones', () => {
  it('stores an elder’s phones normalised (mobile with +86 and spaces, landline with extension)', async () => {
    const res = await coord.post(
      '/api/elders',
      elder({ phones: ['+86 138 1234 5678', '0574 8765 4321转123'] }),
    );
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const shown = await coord.post(`/api/elders/${id}/reveal`, { field: 'phones', reason: '核实号码' });
    expect(shown.json().phones).toEqual(['13812345678', '0574-87654321-123']);
  });

  it.each(['12345', '88881234', '1381234567', '12812345678', '0571-123'])(
    'refuses the elder phone %s with a 400 naming the field, writing nothing',
    async (p) => {
      const before = await count();
      const res = await coord.post('/api/elders', elder({ phones: ['13812345678', p] }));
      expect(res.statusCode).toBe(400);
      expect(detail(res, 'body.phones.1')?.message).toBe(PHONE_MESSAGE);
      expect(await count()).toBe(before);
    },
  );

  it('applies the same rule to an edit and to circle members', async () => {
    const id = (await coord.post('/api/elders', elder())).json().id;
    const edit = await coord.patch(`/api/elders/${id}`, { phones: ['010-1234'] });
    expect(edit.statusCode).toBe(400);
    expect(detail(edit, 'body.phones.0')?.message).toBe(PHONE_MESSAGE);

    const bad = await coord.post(`/api/elders/${id}/circle`, {
      kind: 'relative',
      name: '朱小明',
      phones: ['555'],
    });
    expect(bad.statusCode).toBe(400);
    expect(detail(bad, 'body.phones.0')?.message).toBe(PHONE_MESSAGE);
    const ok = await coord.post(`/api/elders/${id}/circle`, {
      kind: 'relative',
      name: '朱小明',
      phones: ['010-12345678'],
    });
    expect(ok.statusCode).toBe(201);
    const shown = await coord.post(`/api/elders/${id}/reveal`, { field: 'circlePhones', reason: '联系家属' });
    expect(shown.json().circlePhones[0].phones).toEqual(['010-12345678']);
  });
});

describe('names', () => {
  it('refuses an elder name over 50 characters with the field and the limit, never cutting it', async () => {
    const before = await count();
    const res = await coord.post('/api/elders', elder({ name: '长'.repeat(51) }));
    expect(res.statusCode).toBe(400);
    expect(detail(res, 'body.name')?.message).toBe('姓名不超过 50 字');
    expect(await count()).toBe(before);
    const ok = await coord.post('/api/elders', elder({ name: '长'.repeat(50) }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json().name).toBe('长'.repeat(50));
  });

  it('refuses a circle member’s and an org’s too-long name the same way', async () => {
    const id = (await coord.post('/api/elders', elder())).json().id;
    const circle = await coord.post(`/api/elders/${id}/circle`, { kind: 'relative', name: '名'.repeat(51) });
    expect(circle.statusCode).toBe(400);
    expect(detail(circle, 'body.name')?.message).toBe('姓名不超过 50 字');
    const org = await admin.post('/api/orgs', {
      tree: 'geo',
      kind: 'grid',
      parentId: tree.communityA1.id,
      name: '网'.repeat(101),
    });
    expect(org.statusCode).toBe(400);
    expect(detail(org, 'body.name')?.message).toBe('名称不超过 100 字');
  });
});

describe('ID numbers', () => {
  it('says a wrong check character is wrong without saying which one is right', async () => {
    const first17 = '33010219360308011';
    const right = idNumberCheckChar(first17);
    const wrong = right === '1' ? '2' : '1';
    const res = await coord.post('/api/elders', elder({ idNumber: first17 + wrong }));
    expect(res.statusCode).toBe(400);
    const message = detail(res, 'idNumber')?.message ?? JSON.stringify(res.json());
    expect(message).toContain('校验位不符');
    expect(message).not.toContain(right);
    expect(JSON.stringify(res.json())).not.toContain(first17 + right);
  });
});
