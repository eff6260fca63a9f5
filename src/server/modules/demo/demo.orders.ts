import { sql } from 'drizzle-orm';
import { usccCheckChar } from '../../../shared/uscc.ts';
import { type Db, rows, withTx } from '../../platform/db.ts';
import { ensureDefaultCatalogue } from '../orders/catalogue.service.ts';
import type { OrgRow } from '../orgs/orgs.service.ts';

// Demo step of the work orders (issue 18, first slice): the default catalogue, the district's three
// providers — one for each demo `provider` login — with their areas and what they serve, and a
// volunteer team on the streets. Written straight into the orders tables, like the other demo steps;
// the credit codes are fictional but carry a valid GB 32100-2015 check character.

const code = (body17: string) => body17 + usccCheckChar(body17);

export async function seedOrders(db: Db, district: OrgRow, streets: OrgRow[], now = new Date()) {
  return withTx(db, async (tx) => {
    await ensureDefaultCatalogue(tx, now);
    const cats = new Map(
      (await rows<{ id: number; name: string }>(tx, sql`SELECT id, name FROM service_categories`)).map(
        (c) => [c.name, Number(c.id)],
      ),
    );
    const items = new Map(
      (
        await rows<{ id: number; name: string; category_id: number }>(
          tx,
          sql`SELECT id, name, category_id FROM service_items`,
        )
      ).map((i) => [i.name, { id: Number(i.id), categoryId: Number(i.category_id) }]),
    );
    const providers = [
      {
        login: 'provider',
        name: '安心家政服务有限公司',
        kind: 'enterprise',
        uscc: code('91330100MA2DEMO01'),
        contact: ['朱建华', '13774926900'],
        areas: [district],
        categories: ['生活照料', '基础照护'],
        items: [] as string[],
        stars: 4,
        capacity: 20,
      },
      {
        login: 'provider2',
        name: '康乐助餐服务中心',
        kind: 'social_org',
        uscc: code('52330100MJ2DEMO02'),
        contact: ['罗志刚', '13113565564'],
        areas: [district],
        categories: [],
        items: ['助餐·堂食', '助餐·送餐上门', '代购生活用品'],
        stars: 5,
        capacity: 40,
      },
      {
        login: 'provider3',
        name: '便民维修服务部',
        kind: 'enterprise',
        uscc: code('92330100MA2DEMO03'),
        contact: ['赵军', '18829541563'],
        areas: [district],
        categories: ['维修', '适老化改造'],
        items: [],
        stars: 3,
        capacity: 10,
      },
      {
        login: null,
        name: '滨江银龄志愿服务队',
        kind: 'volunteer_team',
        uscc: null,
        contact: ['高军', '13429418683'],
        areas: streets.slice(0, 2),
        categories: ['探访关爱', '精神慰藉', '委托代办'],
        items: [],
        stars: null,
        capacity: 15,
      },
    ];
    for (const p of providers) {
      const [row] = await rows<{ id: number }>(
        tx,
        sql`INSERT INTO providers (name, kind, uscc, contact_name, contact_phone, contract_start, contract_end,
              status, capacity, stars)
            VALUES (${p.name}, ${p.kind}, ${p.uscc}, ${p.contact[0]}, ${p.contact[1]}, '2026-01-01', '2028-12-31',
              'active', ${p.capacity}, ${p.stars})
            ON CONFLICT (name) DO UPDATE SET updated_at = EXCLUDED.updated_at RETURNING id`,
      );
      const id = Number(row!.id);
      for (const a of p.areas) {
        await tx.execute(
          sql`INSERT INTO provider_areas (provider_id, org_id, org_path) VALUES (${id}, ${a.id}, ${a.path})
              ON CONFLICT DO NOTHING`,
        );
      }
      const served = [
        ...p.categories.map((c) => ({ categoryId: cats.get(c)!, itemId: null as number | null })),
        ...p.items.map((n) => ({ categoryId: items.get(n)!.categoryId, itemId: items.get(n)!.id })),
      ];
      for (const s of served) {
        await tx.execute(
          sql`INSERT INTO provider_items (provider_id, category_id, item_id) VALUES (${id}, ${s.categoryId}, ${s.itemId})
              ON CONFLICT DO NOTHING`,
        );
      }
      if (p.login) {
        await tx.execute(
          sql`INSERT INTO provider_staff (provider_id, user_id)
              SELECT ${id}, u.id FROM users u WHERE u.username = ${p.login} AND u.role = 'provider'
              ON CONFLICT DO NOTHING`,
        );
      }
    }
    return providers.length;
  });
}
