import type { Db } from '../../platform/db.ts';
import { progress } from '../../platform/progress.ts';
import { countAccounts, createAccountsBulkAsSystem } from '../accounts/accounts.service.ts';
import { insertOrgsBulk, type OrgRow } from '../orgs/orgs.service.ts';
import { seedCare } from './demo.care.ts';
import { seedElders } from './demo.elders.ts';
import { seedIncidents } from './demo.incidents.ts';
import { seedOrders } from './demo.orders.ts';
import { seedReferrals } from './demo.referrals.ts';
import { mobile, personName, Rng } from './random.ts';

/**
 * The fictional demo district, and the larger generated deployments for benchmarks.
 * Later modules add their own steps (elders, pairings, contacts, incidents) to `seed`.
 */
export const DEMO_PASSWORD = 'carecircle';
export type Scale = 'demo' | 'district' | 'city';

export const demoLogins = [
  { username: 'admin', role: 'admin', name: '系统管理员' },
  { username: 'manager', role: 'manager', name: '区民政局主管' },
  { username: 'coordinator', role: 'coordinator', name: '临湖街道社工' },
  { username: 'dispatcher', role: 'dispatcher', name: '热线调度员' },
  { username: 'carer', role: 'carer', name: '志愿者（老伙伴）' },
  { username: 'doctor', role: 'doctor', name: '家庭医生' },
  { username: 'provider', role: 'provider', name: '服务商' },
] as const;

interface ScaleSpec {
  districts: number;
  streetsPerDistrict: number;
  communitiesPerStreet: number[];
  gridsPerCommunity: number;
  carersPerCommunity: number;
  doctorsPerStreet: number;
}

const scales: Record<Scale, ScaleSpec> = {
  // 1 district, 3 streets, 8 communities, ~60 carers, 5 doctors, 3 providers
  demo: {
    districts: 1,
    streetsPerDistrict: 3,
    communitiesPerStreet: [3, 3, 2],
    gridsPerCommunity: 3,
    carersPerCommunity: 7,
    doctorsPerStreet: 2,
  },
  // one large district (Minhang-sized): 14 streets, ~200 communities, ~3,000 carers
  district: {
    districts: 1,
    streetsPerDistrict: 14,
    communitiesPerStreet: [14],
    gridsPerCommunity: 6,
    carersPerCommunity: 15,
    doctorsPerStreet: 10,
  },
  // one city: 16 districts
  city: {
    districts: 16,
    streetsPerDistrict: 12,
    communitiesPerStreet: [16],
    gridsPerCommunity: 8,
    carersPerCommunity: 30,
    doctorsPerStreet: 20,
  },
};

const streetNames = [
  '临湖街道',
  '桂园街道',
  '青石镇',
  '望江街道',
  '梅岭街道',
  '石桥镇',
  '枫林街道',
  '清河街道',
  '南塘镇',
  '柳岸街道',
  '金沙街道',
  '云山镇',
  '东湖街道',
  '北苑街道',
  '西溪镇',
  '杏花街道',
];
const communityNames = [
  '湖滨社区',
  '春晖社区',
  '翠苑社区',
  '锦绣社区',
  '松柏社区',
  '枫桥村',
  '桃源社区',
  '明月社区',
  '金桂社区',
  '听涛社区',
  '绿洲社区',
  '白云村',
  '长青社区',
  '幸福社区',
  '和平社区',
  '安居社区',
];
const districtNames = [
  '云溪区',
  '临江区',
  '松山区',
  '青湾区',
  '北岭区',
  '南浦区',
  '东阳区',
  '西湖区',
  '江北区',
  '河东区',
  '高新区',
  '城南区',
  '城北区',
  '湖东区',
  '望海区',
  '秀水区',
];

export interface SeedResult {
  orgs: number;
  accounts: number;
  city: OrgRow;
  district: OrgRow;
  streets: OrgRow[];
  communities: OrgRow[];
  grids: OrgRow[];
  units: OrgRow[];
  departments: OrgRow[];
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await countAccounts(db)) === 0;
}

export async function seed(db: Db, scale: Scale = 'demo'): Promise<SeedResult> {
  const spec = scales[scale];
  const rng = new Rng(20261122);
  const bar = progress(`seed ${scale}: orgs`, 5);

  const [city] = await insertOrgsBulk(db, [
    { tree: 'geo', kind: 'city', parentId: null, parentPath: '/', name: '滨江市', code: '330X00' },
  ]);
  const districts = await insertOrgsBulk(
    db,
    Array.from({ length: spec.districts }, (_, i) => ({
      tree: 'geo',
      kind: 'district',
      parentId: city.id,
      parentPath: city.path,
      name: districtNames[i % districtNames.length] + (i >= districtNames.length ? String(i) : ''),
      sortOrder: i,
    })),
  );
  bar.tick(1);
  const streets = await insertOrgsBulk(
    db,
    districts.flatMap((d, di) =>
      Array.from({ length: spec.streetsPerDistrict }, (_, i) => ({
        tree: 'geo',
        kind: 'street',
        parentId: d.id,
        parentPath: d.path,
        name: streetNames[(i + di) % streetNames.length] + (i >= streetNames.length ? String(i) : ''),
        sortOrder: i,
      })),
    ),
  );
  bar.tick(2);
  const communities = await insertOrgsBulk(
    db,
    streets.flatMap((s, si) => {
      const n = spec.communitiesPerStreet[si % spec.communitiesPerStreet.length];
      return Array.from({ length: n }, (_, i) => ({
        tree: 'geo',
        kind: 'community',
        parentId: s.id,
        parentPath: s.path,
        name:
          communityNames[(si * 3 + i) % communityNames.length] +
          (i >= communityNames.length || scale !== 'demo' ? `${i + 1}` : ''),
        sortOrder: i,
      }));
    }),
  );
  bar.tick(3);
  const grids = (
    await Promise.all(
      chunk(communities, 500).map((cs) =>
        insertOrgsBulk(
          db,
          cs.flatMap((c) =>
            Array.from({ length: spec.gridsPerCommunity }, (_, i) => ({
              tree: 'geo',
              kind: 'grid',
              parentId: c.id,
              parentPath: c.path,
              name: `第${i + 1}网格（${i * 4 + 1}–${i * 4 + 4}幢楼组）`,
              sortOrder: i,
            })),
          ),
        ),
      ),
    )
  ).flat();
  bar.tick(4);

  // the affiliation tree (原单位): a university, a cadre bureau, a sanatorium
  const units = await insertOrgsBulk(db, [
    { tree: 'affiliation', kind: 'unit', parentId: null, parentPath: '/', name: '滨江大学' },
    { tree: 'affiliation', kind: 'unit', parentId: null, parentPath: '/', name: '滨江市委老干部局' },
    {
      tree: 'affiliation',
      kind: 'unit',
      parentId: null,
      parentPath: '/',
      name: '滨江市军队离休退休干部休养所',
    },
  ]);
  const deptNames: string[][] = [
    ['机械工程学院', '化学化工学院', '人文学院', '附属医院', '后勤集团', '图书馆'],
    ['市直机关离休干部党支部', '市直机关退休干部党支部'],
    ['第一休养所', '第二休养所'],
  ];
  const departments = await insertOrgsBulk(
    db,
    units.flatMap((u, i) =>
      deptNames[i].map((name, j) => ({
        tree: 'affiliation',
        kind: 'department',
        parentId: u.id,
        parentPath: u.path,
        name,
        sortOrder: j,
      })),
    ),
  );
  bar.tick(5);
  bar.done();

  const district = districts[0];
  const street1 = streets[0];
  const accounts: Parameters<typeof createAccountsBulkAsSystem>[2] = [
    {
      username: 'admin',
      displayName: '系统管理员',
      role: 'admin',
      scopeOrgIds: [city.id, ...units.map((u) => u.id)],
    },
    { username: 'manager', displayName: '周建华', role: 'manager', scopeOrgIds: [district.id] },
    { username: 'coordinator', displayName: '林秀英', role: 'coordinator', scopeOrgIds: [street1.id] },
    { username: 'dispatcher', displayName: '陈志强', role: 'dispatcher', scopeOrgIds: [district.id] },
    {
      username: 'carer',
      displayName: '王桂兰',
      role: 'carer',
      carerKind: 'volunteer',
      phone: mobile(rng),
      scopeOrgIds: [communities[0].id],
    },
    {
      username: 'doctor',
      displayName: '吴医生',
      role: 'doctor',
      carerKind: 'doctor',
      scopeOrgIds: [street1.id],
    },
    {
      username: 'provider',
      displayName: '安心家政服务有限公司',
      role: 'provider',
      scopeOrgIds: [district.id],
    },
  ];
  const kinds = [
    'volunteer',
    'volunteer',
    'volunteer',
    'advisor',
    'group_leader',
    'party_contact',
    'staff',
  ] as const;
  let n = 0;
  for (const c of communities) {
    for (let i = 0; i < spec.carersPerCommunity; i++) {
      n++;
      const gender = rng.chance(0.7) ? 'F' : 'M';
      accounts.push({
        username: `carer${String(n).padStart(scale === 'demo' ? 2 : 6, '0')}`,
        displayName: personName(rng, gender),
        role: 'carer',
        carerKind: kinds[i % kinds.length],
        phone: mobile(rng),
        scopeOrgIds: [c.id],
      });
    }
  }
  let d = 0;
  for (const s of streets) {
    for (let i = 0; i < spec.doctorsPerStreet; i++) {
      d++;
      accounts.push({
        username: `doctor${String(d).padStart(scale === 'demo' ? 2 : 5, '0')}`,
        displayName: `${personName(rng, rng.chance(0.5) ? 'F' : 'M')}`,
        role: 'doctor',
        carerKind: 'doctor',
        phone: mobile(rng),
        scopeOrgIds: [s.id],
      });
    }
  }
  if (scale === 'demo') accounts.splice(accounts.length - 2, 2); // 5 doctors in all, with `doctor`
  for (const [i, name] of ['康乐助餐服务中心', '便民维修服务部'].entries()) {
    accounts.push({
      username: `provider${i + 2}`,
      displayName: name,
      role: 'provider',
      scopeOrgIds: [district.id],
    });
  }
  const abar = progress(`seed ${scale}: accounts`, accounts.length);
  const created = [];
  for (const part of chunk(accounts, 5000)) {
    created.push(...(await createAccountsBulkAsSystem(db, DEMO_PASSWORD, part)));
    abar.tick(created.length);
  }
  abar.done();

  await seedElders(db, scale, { grids, communities, units, departments });
  await seedCare(db);
  await seedReferrals(db);
  await seedIncidents(db, scale);
  await seedOrders(db, district, streets);

  return {
    orgs:
      1 +
      districts.length +
      streets.length +
      communities.length +
      grids.length +
      units.length +
      departments.length,
    accounts: created.length,
    city,
    district,
    streets,
    communities,
    grids,
    units,
    departments,
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
