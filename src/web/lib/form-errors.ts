import type { FormInstance } from 'antd';
import { ApiError } from './api.ts';

function fieldName(field: string): string {
  return field.replace(/^(body|query|params)\./, '').split('.')[0];
}

/**
 * Puts the API's field errors (`body.name`, `body.scopeOrgIds.0`) next to the form fields they name;
 * returns true when at least one landed on a field, so the caller shows only the summary message.
 * `fields` lists the form's fields when some may still be empty (absent from the form's store).
 */
export function applyFieldErrors(form: FormInstance, err: unknown, fields?: readonly string[]): boolean {
  if (!(err instanceof ApiError) || err.details.length === 0) return false;
  const known = new Set(fields ?? Object.keys(form.getFieldsValue(true) as object));
  const byField = new Map<string, string[]>();
  for (const d of err.details) {
    if (!d.field) continue;
    const name = fieldName(d.field);
    if (!known.has(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), d.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return byField.size > 0;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Field errors onto the form, and the lines to show above it: the API's message first, then the
 * details that belong to no field of the form.
 */
export function applyApiErrors(form: FormInstance, err: unknown, fields: readonly string[]): string[] {
  applyFieldErrors(form, err, fields);
  if (!(err instanceof ApiError)) return [errorText(err)];
  const rest = err.details
    .filter((d) => !d.field || !fields.includes(fieldName(d.field)))
    .map((d) => (d.field ? `${d.field}: ${d.message}` : d.message));
  return [err.message, ...rest];
}
