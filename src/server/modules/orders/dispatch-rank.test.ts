import { describe, expect, it } from 'vitest';
import { dispatchReasonLine } from '../../../shared/orders-rules.ts';
import { type DispatchCandidate, orgLevelOfPath, proximityOf, rankProviders } from './dispatch-rank.ts';

// city 1 › district 2 › street 3 › community 4 › grid 5 (the elder's); neighbours 40 (community), 50 (grid)
const city = '/1/';
const district = '/1/2/';
const street = '/1/2/3/';
const community = '/1/2/3/4/';
const grid = '/1/2/3/4/5/';
const otherCommunity = '/1/2/3/40/';
const otherGrid = '/1/2/3/4/50/';
const request = { elderOrgPath: grid, itemId: 11, today: '2026-12-06' };

function provider(providerId: number, p: Partial<DispatchCandidate> = {}): DispatchCandidate {
  return {
    providerId,
    status: 'active',
    contractStart: '2026-01-01',
    contractEnd: '2027-12-31',
    areaPaths: [community],
    itemIds: [11, 12],
    openOrders: 3,
    capacity: 10,
    onTimeRate: 0.9,
    rating: 4.5,
    ...p,
  };
}

const order = (cs: DispatchCandidate[]) => rankProviders(cs, request).ranked.map((r) => r.providerId);

describe('dispatch ranking (四就近)', () => {
  it('reads the level of a node from its path and the narrowest area containing the elder', () => {
    expect([city, district, street, community, grid].map(orgLevelOfPath)).toEqual([
      'city',
      'district',
      'street',
      'community',
      'grid',
    ]);
    expect(proximityOf([district, community], grid)).toBe('community');
    expect(proximityOf([otherCommunity, otherGrid], grid)).toBeNull();
    // '/1/2/3/4/' must not match a sibling '/1/2/3/40/'
    expect(proximityOf([community], '/1/2/3/40/7/')).toBeNull();
  });

  it('ranks nearer first: same grid < same community < same street < district < city', () => {
    const cs = [
      provider(1, { areaPaths: [city] }),
      provider(2, { areaPaths: [street] }),
      provider(3, { areaPaths: [grid] }),
      provider(4, { areaPaths: [district] }),
      provider(5, { areaPaths: [otherCommunity, community] }),
    ];
    const { ranked } = rankProviders(cs, request);
    expect(ranked.map((r) => [r.providerId, r.proximity])).toEqual([
      [3, 'grid'],
      [5, 'community'],
      [2, 'street'],
      [4, 'district'],
      [1, 'city'],
    ]);
  });

  it('among equally near, the less loaded band first, then the scorecard, then the exact load', () => {
    expect(order([provider(1, { openOrders: 8 }), provider(2, { openOrders: 1 })])).toEqual([2, 1]);
    // 3/10 and 31/100 fall in the same band: the better on-time rate wins, then the rating
    expect(
      order([
        provider(1, { openOrders: 3, capacity: 10, onTimeRate: 0.8 }),
        provider(2, { openOrders: 31, capacity: 100, onTimeRate: 0.96 }),
      ]),
    ).toEqual([2, 1]);
    expect(order([provider(1, { rating: 3.9 }), provider(2, { rating: 4.8 })])).toEqual([2, 1]);
    expect(order([provider(1, { openOrders: 3 }), provider(2, { openOrders: 2 })])).toEqual([2, 1]);
    expect(order([provider(2), provider(1)])).toEqual([1, 2]);
    // nearness beats load: a grid provider at 80 % before an idle community one
    expect(
      order([provider(1, { openOrders: 0 }), provider(2, { areaPaths: [grid], openOrders: 8 })]),
    ).toEqual([2, 1]);
  });

  it('ranks a provider with no record as 80 % on time and rated 4: between good and poor', () => {
    const newcomer = provider(1, { onTimeRate: null, rating: null });
    expect(order([newcomer, provider(2, { onTimeRate: 0.95 }), provider(3, { onTimeRate: 0.6 })])).toEqual([
      2, 1, 3,
    ]);
  });

  it('leaves out the ineligible with every reason', () => {
    const cs = [
      provider(1),
      provider(2, { status: 'suspended' }),
      provider(3, { contractEnd: '2026-12-05' }),
      provider(4, { contractStart: '2026-12-07' }),
      provider(5, { itemIds: [12] }),
      provider(6, { areaPaths: [otherCommunity, otherGrid] }),
      provider(7, { openOrders: 10 }),
      provider(8, { status: 'terminated', itemIds: [], openOrders: 12 }),
      provider(9, { contractStart: '2026-12-06', contractEnd: '2026-12-06' }), // last day of contract: eligible
    ];
    const { ranked, excluded } = rankProviders(cs, request);
    expect(ranked.map((r) => r.providerId)).toEqual([1, 9]);
    expect(excluded).toEqual([
      { providerId: 2, reasons: ['inactive'] },
      { providerId: 3, reasons: ['contract_ended'] },
      { providerId: 4, reasons: ['contract_not_started'] },
      { providerId: 5, reasons: ['item_not_served'] },
      { providerId: 6, reasons: ['area_not_covered'] },
      { providerId: 7, reasons: ['at_capacity'] },
      { providerId: 8, reasons: ['inactive', 'item_not_served', 'at_capacity'] },
    ]);
  });

  it('gives the dispatcher the reason as codes, read in Chinese as 同社区 · 在办 3/10 · 准时率 96%', () => {
    const [best, newcomer] = rankProviders(
      [provider(1, { onTimeRate: 0.956, rating: null }), provider(2, { onTimeRate: null, rating: null })],
      request,
    ).ranked;
    expect(best.reasons).toEqual([
      { code: 'proximity', params: { level: 'community' } },
      { code: 'load', params: { open: 3, capacity: 10 } },
      { code: 'on_time_rate', params: { percent: 96 } },
    ]);
    expect(dispatchReasonLine(best.reasons)).toBe('同社区 · 在办 3/10 · 准时率 96%');
    expect(dispatchReasonLine(newcomer.reasons)).toBe('同社区 · 在办 3/10 · 暂无服务记录');
    const rated = rankProviders([provider(3, { areaPaths: [grid] })], request).ranked[0];
    expect(dispatchReasonLine(rated.reasons)).toBe('同网格 · 在办 3/10 · 准时率 90% · 评分 4.5');
  });
});
