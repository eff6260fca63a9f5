import type { Elder, ElderListItem } from '../../../shared/elders.ts';
import { maskIdNumber, maskPhone } from '../../../shared/id-number.ts';
import type { ElderRow } from './elders.repo.ts';

// Pure helpers: what the API shows of an elder row (masked by default), and dates in Asia/Shanghai.

export type OrgNames = Map<number, string>;

/** Whole years between a birth date and `today` (both YYYY-MM-DD, Asia/Shanghai). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** The latest birth date of someone at least `years` old on `today` (29 Feb → 28 Feb in common years). */
export function bornOnOrBefore(today: string, years: number): string {
  const [ty, tm, td] = today.split('-').map(Number);
  const y = ty - years;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const day = tm === 2 && td === 29 && !leap ? 28 : td;
  return `${String(y).padStart(4, '0')}-${String(tm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The "last digits" search keys: the last 4 characters of every phone and of the ID number. */
export function searchTails(idNumber: string, phones: string[]): string[] {
  const tails = new Set<string>();
  for (const p of phones) {
    const digits = p.replace(/\D/g, '');
    if (digits.length >= 4) tails.add(digits.slice(-4));
  }
  tails.add(idNumber.slice(-4).toUpperCase());
  return [...tails];
}

export function normalisePhones(phones: string[]): string[] {
  return [...new Set(phones.map((p) => p.replace(/[\s()]/g, '')).filter((p) => p !== ''))];
}

export function toListItem(
  e: ElderRow,
  names: OrgNames,
  today: string,
  healthVisible: boolean,
): ElderListItem {
  return {
    id: e.id,
    name: e.name,
    gender: e.gender as 'M' | 'F',
    idNumber: maskIdNumber(e.idNumber),
    birthDate: e.birthDate,
    age: ageOn(e.birthDate, today),
    phones: e.phones.map(maskPhone),
    org: { id: e.orgId, name: names.get(e.orgId) ?? '' },
    affiliation: e.affiliationId ? { id: e.affiliationId, name: names.get(e.affiliationId) ?? '' } : null,
    address: e.address,
    building: e.building,
    unit: e.unit,
    room: e.room,
    categories: e.categories,
    livingSituation: e.livingSituation,
    difficultyGroups: e.difficultyGroups,
    hearingImpaired: e.hearingImpaired,
    visionImpaired: e.visionImpaired,
    mobilityImpaired: e.mobilityImpaired,
    cognitionImpaired: e.cognitionImpaired,
    tags: e.tags,
    status: e.status as ElderListItem['status'],
    abilityLevel: healthVisible ? e.abilityLevel : null,
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function toDetail(
  e: ElderRow,
  names: OrgNames,
  today: string,
  healthVisible: boolean,
  familyDoctor: Elder['familyDoctor'],
  warnings?: string[],
): Elder {
  return {
    ...toListItem(e, names, today, healthVisible),
    orgPath: e.orgPath,
    namePinyin: e.namePinyin,
    nameInitials: e.nameInitials,
    photoUrl: e.photoUrl,
    statusSince: e.statusSince,
    statusReason: e.statusReason,
    survivorOf: e.survivorOf,
    abilityAssessedOn: healthVisible ? e.abilityAssessedOn : null,
    agreementSignedAt: e.agreementSignedAt,
    note: e.note,
    healthVisible,
    familyDoctor,
    createdAt: e.createdAt.toISOString(),
    ...(warnings && warnings.length > 0 ? { warnings } : {}),
  };
}
