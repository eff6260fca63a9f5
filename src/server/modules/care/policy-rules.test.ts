import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { type Condition, conditionSchema } from '../../../shared/care.ts';
import {
  ageCutoff,
  ageOn,
  compileCondition,
  defaultRules,
  defaultTemplates,
  type ElderFacts,
  type FactColumns,
  matches,
  templatesFor,
} from './policy-rules.ts';

const today = '2026-11-22';
const elder = (over: Partial<ElderFacts>): ElderFacts => ({
  birthDate: '1950-01-01',
  livingSituation: '与子女同住',
  status: 'active',
  abilityLevel: 0,
  categories: ['社区老人'],
  difficultyGroups: [],
  tags: [],
  familyDoctor: false,
  hearingImpaired: false,
  hospitalised: false,
  ...over,
});

describe('age on a date', () => {
  it('the cutoff birth date for "at least N years old", 29 Feb in common years', () => {
    expect(ageCutoff('2026-11-22', 80)).toBe('1946-11-22');
    expect(ageCutoff('2028-02-29', 81)).toBe('1947-02-28');
    expect(ageCutoff('2028-02-29', 80)).toBe('1948-02-29');
  });

  it('turns 80 on the birthday, not the day before', () => {
    expect(ageOn('1946-11-22', '2026-11-22')).toBe(80);
    expect(ageOn('1946-11-23', '2026-11-22')).toBe(79);
    const r: Condition = { field: 'age', op: 'gte', value: 80 };
    expect(matches(r, elder({ birthDate: '1946-11-22' }), today)).toBe(true);
    expect(matches(r, elder({ birthDate: '1946-11-23' }), today)).toBe(false);
  });
});

describe('default policy (tiered visiting)', () => {
  const keys = (e: Partial<ElderFacts>) => templatesFor(defaultRules, elder(e), today).sort();

  it('every rule and template parses as data an administrator could have typed', () => {
    for (const r of defaultRules) expect(conditionSchema.safeParse(r.condition).success).toBe(true);
    const templateKeys = new Set(defaultTemplates.map((t) => t.key));
    for (const r of defaultRules) expect(templateKeys.has(r.templateKey)).toBe(true);
  });

  it('everyone: quarterly visit, birthday, decade birthday', () => {
    expect(keys({})).toEqual(['birthday_visit', 'decade_birthday', 'quarterly_visit']);
  });

  it('独居 and 80+: daily check-in and weekly visit (high risk), special → holidays and seasons', () => {
    const k = keys({ birthDate: '1940-03-01', livingSituation: '独居', difficultyGroups: ['独居'] });
    expect(k).toContain('daily_checkin');
    expect(k).toContain('weekly_visit');
    expect(k).toContain('holiday_spring_festival');
    expect(k).toContain('summer_cool');
    expect(k).not.toContain('monthly_visit');
  });

  it('独居 at 79: no daily check-in; 空巢 at 85: weekly visit but no daily check-in', () => {
    expect(keys({ birthDate: '1947-06-01', livingSituation: '独居' })).not.toContain('daily_checkin');
    const k = keys({ birthDate: '1941-06-01', livingSituation: '空巢' });
    expect(k).toContain('weekly_visit');
    expect(k).not.toContain('daily_checkin');
  });

  it('priority groups: monthly visit; cadres: the 10th call; contract: doctor; hospital', () => {
    expect(keys({ difficultyGroups: ['失能'] })).toContain('monthly_visit');
    expect(keys({ categories: ['离休干部'] })).toContain('call_day_10th');
    expect(keys({ categories: ['军休干部'] })).toContain('holiday_double_ninth');
    expect(keys({ familyDoctor: true })).toContain('doctor_quarterly');
    expect(keys({ hospitalised: true })).toContain('hospital_visit');
    expect(keys({})).not.toContain('hospital_visit');
  });

  it('deceased or moved away: nothing', () => {
    expect(keys({ status: 'deceased', livingSituation: '独居', birthDate: '1930-01-01' })).toEqual([]);
    expect(keys({ status: 'moved_away' })).toEqual([]);
  });
});

describe('conditions', () => {
  it('all / any / not / is / lt, and a missing ability level matches neither gte nor lt', () => {
    const c: Condition = {
      all: [
        { not: { field: 'status', op: 'in', values: ['hospitalised'] } },
        {
          any: [
            { field: 'hearingImpaired', op: 'is', value: true },
            { field: 'tags', op: 'overlaps', values: ['重点关注'] },
          ],
        },
      ],
    };
    expect(matches(c, elder({ hearingImpaired: true }), today)).toBe(true);
    expect(matches(c, elder({ tags: ['重点关注'] }), today)).toBe(true);
    expect(matches(c, elder({ tags: ['重点关注'], status: 'hospitalised' }), today)).toBe(false);
    expect(matches(c, elder({}), today)).toBe(false);
    expect(
      matches({ field: 'abilityLevel', op: 'gte', value: 2 }, elder({ abilityLevel: null }), today),
    ).toBe(false);
    expect(matches({ field: 'abilityLevel', op: 'lt', value: 2 }, elder({ abilityLevel: null }), today)).toBe(
      false,
    );
    expect(matches({ field: 'age', op: 'lt', value: 80 }, elder({ birthDate: '1950-01-01' }), today)).toBe(
      true,
    );
  });

  it('rejects unknown fields and operators', () => {
    expect(conditionSchema.safeParse({ field: 'income', op: 'gte', value: 1 }).success).toBe(false);
    expect(conditionSchema.safeParse({ field: 'age', op: 'in', values: ['80'] }).success).toBe(false);
    expect(conditionSchema.safeParse({ all: [] }).success).toBe(false);
  });

  it('compiles to parameterised SQL (values never spliced into the text)', () => {
    const cols = Object.fromEntries(
      [
        'birthDate',
        'livingSituation',
        'status',
        'abilityLevel',
        'categories',
        'difficultyGroups',
        'tags',
        'familyDoctor',
        'hearingImpaired',
        'hospitalised',
      ].map((k) => [k, sql.raw(`e.${k}`)]),
    ) as FactColumns;
    const q = new PgDialect().sqlToQuery(
      compileCondition(
        {
          all: [
            { field: 'age', op: 'gte', value: 80 },
            { field: 'livingSituation', op: 'in', values: ["独居'; drop"] },
          ],
        },
        cols,
        today,
      ),
    );
    expect(q.sql).toBe(
      '(coalesce(e.birthDate <= $1::date, false) AND coalesce(e.livingSituation = ANY(ARRAY[$2]::text[]), false))',
    );
    expect(q.params).toEqual(['1946-11-22', "独居'; drop"]);
  });
});
