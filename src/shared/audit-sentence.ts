import type { AuditChange, AuditLine } from './audit.ts';

/** A translation look-up: the text of a key with its parameters, or null when the key is missing. */
export type Translate = (key: string, params?: Record<string, string | number>) => string | null;

const keyOf = (action: string) => action.replace(/\./g, '_');
/** `王芳（wangfang）` as stored → `王芳` in a sentence. */
export const actorShort = (name: string | null) => (name ?? '').replace(/（[^（）]*）$/, '');

/** The sentence of a line: who did what to whom, in the reader's language; an unknown action still reads. */
export function auditSentence(line: AuditLine, t: Translate): string {
  const d = (line.details ?? {}) as Record<string, unknown>;
  // a failed sign-in of an unknown or inactive account has no actor: name the username tried
  const tried = line.actorId == null && typeof d.username === 'string' ? d.username : null;
  const actor = tried ?? (actorShort(line.actorName) || (t('audit.someone') ?? ''));
  const entityLabel = line.entity ? (t(`auditEntities.${line.entity}`) ?? t('audit.record', {})) : null;
  const subject =
    line.subject ??
    (line.entityId ? (t('audit.record', { entity: entityLabel ?? '', id: line.entityId }) ?? '') : '');
  const params = { actor, subject };
  const s =
    t(`audit.s.${keyOf(line.action)}`, params) ??
    (subject ? t('audit.s.unknown', params) : t('audit.s.unknownNoSubject', params)) ??
    `${actor} ${line.action}`;
  return line.count > 1 ? `${s} ${t('audit.times', { count: line.count }) ?? `×${line.count}`}` : s;
}

function valueText(field: string, v: unknown, t: Translate): string {
  if (v == null || v === '' || (Array.isArray(v) && v.length === 0)) return t('audit.empty') ?? '';
  if (Array.isArray(v)) return v.map((x) => valueText(field, x, t)).join('、');
  if (typeof v === 'boolean') return (v ? t('audit.yes') : t('audit.no')) ?? String(v);
  if (typeof v === 'object') return '';
  const s = String(v);
  const table: Record<string, string> = {
    status: 'elders.status',
    gender: 'elders.gender',
    role: 'role',
    carerKind: 'carerKind',
    kind: 'orgKind',
  };
  return (table[field] ? t(`${table[field]}.${s}`) : null) ?? s;
}

const fieldLabel = (field: string, t: Translate) =>
  t(`audit.field.${field}`) ?? t(`elders.field.${field}`) ?? t(`elders.flag.${field}`) ?? field;

/** The changes of a line, each as "字段：旧值 → 新值", plus the reason and other facts worth a line. */
export function auditDetails(line: AuditLine, t: Translate): string[] {
  const d = (line.details ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const changes = Array.isArray(d.changes) ? (d.changes as AuditChange[]) : null;
  if (changes) {
    for (const c of changes) {
      const params = {
        field: fieldLabel(c.field, t),
        from: valueText(c.field, c.from, t),
        to: valueText(c.field, c.to, t),
      };
      out.push(t('audit.changeLine', params) ?? `${params.field}: ${params.from} → ${params.to}`);
    }
  } else if (Array.isArray(d.changed) && d.changed.length > 0) {
    // an entry written before changes were recorded: the fields, without values
    const fields = (d.changed as string[]).map((f) => fieldLabel(f, t)).join('、');
    out.push(t('audit.changedFields', { fields }) ?? fields);
  }
  if (!changes && Array.isArray(d.status) && d.status.length === 2) {
    const [from, to] = d.status;
    out.push(
      t('audit.changeLine', {
        field: fieldLabel('status', t),
        from: valueText('status', from, t),
        to: valueText('status', to, t),
      }) ?? '',
    );
  }
  if (d.passwordChanged === true) out.push(t('audit.passwordChanged') ?? '');
  if (line.reason) out.push(t('audit.reasonLabel', { reason: line.reason }) ?? line.reason);
  return out.filter(Boolean);
}
