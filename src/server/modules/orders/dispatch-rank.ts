import type { DispatchExclusion, DispatchReason, ProximityLevel } from '../../../shared/orders-rules.ts';

/**
 * Dispatch suggestions (四就近: 就近受理、就近派单、就近服务、就近评价): which providers may take an
 * order for this elder and this item, best first, with the reason the dispatcher reads.
 *
 * Eligible: the provider is active, inside its contract period, serves the item, has an area (an org
 * node of the geo tree) that contains the elder's node, and has room (open orders below capacity).
 * Every failed condition is returned for the excluded ones, so the screen can say why a provider the
 * dispatcher expected is missing.
 *
 * Ranked, in this order, so that the reason shown explains the place:
 * 1. distance in the org tree — the narrowest of the provider's areas that contains the elder: same grid
 *    before same community before same street, district, city (a provider of the elder's own grid knows
 *    the building; a district-wide one is sent when nobody nearer is free);
 * 2. load, in bands of a fifth of capacity (0–19 %, 20–39 % …), so that 3/10 and 31/100 count as equal
 *    and the scorecard decides between them;
 * 3. the scorecard: the on-time rate, then the average rating; a provider with no record yet ranks as
 *    one with 80 % on time and a rating of 4, so a newcomer is neither buried nor preferred;
 * 4. the exact load ratio, then the provider id (a stable order).
 */
export interface DispatchCandidate {
  providerId: number;
  /** 'active' may be dispatched to; anything else (suspended, terminated) may not */
  status: string;
  /** 'YYYY-MM-DD', inclusive; null = open */
  contractStart: string | null;
  contractEnd: string | null;
  /** materialised org paths ('/1/4/9/') of the provider's service area */
  areaPaths: readonly string[];
  itemIds: readonly number[];
  openOrders: number;
  capacity: number;
  /** share of stages done on time, 0–1; null when the provider has no finished orders yet */
  onTimeRate: number | null;
  /** average rating 1–5; null when nobody has rated it yet */
  rating: number | null;
}

export interface DispatchRequest {
  /** the elder's org path (a community or a grid) */
  elderOrgPath: string;
  itemId: number;
  /** today in Asia/Shanghai, 'YYYY-MM-DD' */
  today: string;
}

export interface RankedProvider {
  providerId: number;
  proximity: ProximityLevel;
  reasons: DispatchReason[];
}

export interface ExcludedProvider {
  providerId: number;
  reasons: DispatchExclusion[];
}

const levelByDepth: Record<number, ProximityLevel> = {
  1: 'city',
  2: 'district',
  3: 'street',
  4: 'community',
  5: 'grid',
};
const proximityRank: Record<ProximityLevel, number> = {
  grid: 0,
  community: 1,
  street: 2,
  district: 3,
  city: 4,
};
const UNKNOWN_ON_TIME = 0.8;
const UNKNOWN_RATING = 4;

/** The level of a geo-tree node from its path: city › district › street › community › grid. */
export function orgLevelOfPath(path: string): ProximityLevel | null {
  return levelByDepth[path.split('/').filter(Boolean).length] ?? null;
}

/** The narrowest of the areas that contain `elderPath` (an area contains itself), or null. */
export function proximityOf(areaPaths: readonly string[], elderPath: string): ProximityLevel | null {
  let best: ProximityLevel | null = null;
  for (const a of areaPaths) {
    const level = elderPath.startsWith(a) ? orgLevelOfPath(a) : null;
    if (level && (best === null || proximityRank[level] < proximityRank[best])) best = level;
  }
  return best;
}

export function exclusionsOf(c: DispatchCandidate, r: DispatchRequest): DispatchExclusion[] {
  const out: DispatchExclusion[] = [];
  if (c.status !== 'active') out.push('inactive');
  if (c.contractStart && r.today < c.contractStart) out.push('contract_not_started');
  if (c.contractEnd && r.today > c.contractEnd) out.push('contract_ended');
  if (!c.itemIds.includes(r.itemId)) out.push('item_not_served');
  if (!proximityOf(c.areaPaths, r.elderOrgPath)) out.push('area_not_covered');
  if (c.openOrders >= c.capacity) out.push('at_capacity');
  return out;
}

function reasonsOf(c: DispatchCandidate, proximity: ProximityLevel): DispatchReason[] {
  const reasons: DispatchReason[] = [
    { code: 'proximity', params: { level: proximity } },
    { code: 'load', params: { open: c.openOrders, capacity: c.capacity } },
  ];
  if (c.onTimeRate !== null)
    reasons.push({ code: 'on_time_rate', params: { percent: Math.round(c.onTimeRate * 100) } });
  if (c.rating !== null)
    reasons.push({ code: 'rating', params: { average: Math.round(c.rating * 10) / 10 } });
  if (c.onTimeRate === null && c.rating === null) reasons.push({ code: 'no_record', params: {} });
  return reasons;
}

export function rankProviders(
  candidates: readonly DispatchCandidate[],
  r: DispatchRequest,
): { ranked: RankedProvider[]; excluded: ExcludedProvider[] } {
  const excluded: ExcludedProvider[] = [];
  const eligible: { c: DispatchCandidate; proximity: ProximityLevel }[] = [];
  for (const c of candidates) {
    const reasons = exclusionsOf(c, r);
    if (reasons.length > 0) excluded.push({ providerId: c.providerId, reasons });
    else eligible.push({ c, proximity: proximityOf(c.areaPaths, r.elderOrgPath)! });
  }
  const ratio = (c: DispatchCandidate) => c.openOrders / c.capacity;
  const band = (c: DispatchCandidate) => Math.floor(ratio(c) * 5);
  eligible.sort(
    (a, b) =>
      proximityRank[a.proximity] - proximityRank[b.proximity] ||
      band(a.c) - band(b.c) ||
      (b.c.onTimeRate ?? UNKNOWN_ON_TIME) - (a.c.onTimeRate ?? UNKNOWN_ON_TIME) ||
      (b.c.rating ?? UNKNOWN_RATING) - (a.c.rating ?? UNKNOWN_RATING) ||
      ratio(a.c) - ratio(b.c) ||
      a.c.providerId - b.c.providerId,
  );
  return {
    ranked: eligible.map(({ c, proximity }) => ({
      providerId: c.providerId,
      proximity,
      reasons: reasonsOf(c, proximity),
    })),
    excluded: excluded.sort((a, b) => a.providerId - b.providerId),
  };
}
