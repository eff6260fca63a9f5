import { type SQL, sql } from 'drizzle-orm';

// Row sources and correlated reads for other modules' set-based joins (the worklist, re-planning,
// pairing, the contact batch), so that only this module names its tables. PostgreSQL pulls such a
// subquery up into the outer query: the plan is the plain table's. The ID number is never shared.

/**
 * Elders as other modules may join them: `JOIN ${elderRows} e ON e.id = …`. Aliased `elders`, it also
 * takes this module's predicates written over the table (`visibleElders`).
 */
export const elderRows = sql`(SELECT id, org_id, org_path, affiliation_id, affiliation_path, name, gender,
  birth_date, phones, address, building, unit, room, categories, living_situation, difficulty_groups,
  hearing_impaired, vision_impaired, mobility_impaired, cognition_impaired, tags, status, status_since,
  ability_level, note, updated_at FROM elders)`;

/** How many chronic conditions the elder of row `alias` has (the worklist's health hint), as an int. */
export function conditionCountOf(alias: string): SQL {
  return sql`(SELECT count(*) FROM elder_conditions ec WHERE ec.elder_id = ${sql.raw(alias)}.id)::int`;
}

/** The admission date of the open hospital stay of the elder of row `alias`, or null. */
export function openAdmissionOf(alias: string): SQL {
  return sql`(SELECT hs.admitted_on FROM hospital_stays hs WHERE hs.elder_id = ${sql.raw(alias)}.id
    AND hs.discharged_on IS NULL ORDER BY hs.admitted_on DESC LIMIT 1)`;
}
