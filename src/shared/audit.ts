import { z } from 'zod';

/**
 * One line of the audit log: an entry, or a run of one person's repeated views of one record within a
 * minute of each other, folded into one (`count` > 1, from `firstAt` to `at`). The server sends codes
 * and parameters; the sentence is built in the reader's language (see audit-sentence.ts).
 */
export const auditLineSchema = z.object({
  /** the id of the line's last entry (the keyset cursor) */
  id: z.number(),
  at: z.string(),
  firstAt: z.string(),
  count: z.number(),
  actorId: z.number().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  /** the name of whom or what the entry is about (an elder, an account, an org node), when known */
  subject: z.string().nullable(),
  ip: z.string().nullable(),
  reason: z.string().nullable(),
  /** parameters of the entry, sensitive values masked */
  details: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditLine = z.infer<typeof auditLineSchema>;

/** One changed field, as writers record it in `details.changes`: sensitive values already masked. */
export interface AuditChange {
  field: string;
  from: unknown;
  to: unknown;
}

const optionalTrimmed = z
  .string()
  .trim()
  .max(100, { message: '最多 100 个字 / at most 100 characters' })
  .optional();

export const auditFilterQuery = z.object({
  /** the person who acted: part of their name or username */
  actor: optionalTrimmed,
  /** an action or the start of one: `elder.`, `auth.login`, `incident.view` */
  action: optionalTrimmed,
  entity: optionalTrimmed,
  entityId: optionalTrimmed,
  /** entries about this elder (their record, and records that name them) */
  elderId: z.coerce.number().int().positive().optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const auditListQuery = auditFilterQuery.extend({
  /** keyset cursor: the id of the last line of the previous page */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const auditListResponse = z.object({
  items: z.array(auditLineSchema),
  nextCursor: z.number().nullable(),
});
