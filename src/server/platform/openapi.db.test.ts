// The served OpenAPI document is what client generators build from: it must pass a maintained
// validator (swagger-parser checks the OpenAPI 3.0 schema and that every $ref resolves).
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.0 and every reference resolves (the recursive rule condition too)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as OpenAPI.Document & { components: { schemas: Record<string, unknown> } };
    // validate() dereferences the document it is given: hand it a copy
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['RuleCondition', 'RuleConditionInput']),
    );
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(doc.components.schemas, r).toHaveProperty(r);
  });
});
