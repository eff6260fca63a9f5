import { describe, expect, it } from 'vitest';
import { type Role, roles } from './auth.ts';
import { hasPermission, type Permission, permissions, rolesWith } from './permissions.ts';

// The specification of who may do what, written out role by role (these were the role lists spread
// over the services before the one table). A change to the table must change this test too.
const A = 'admin';
const M = 'manager';
const C = 'coordinator';
const D = 'dispatcher';
const CA = 'carer';
const DR = 'doctor';
const P = 'provider';
const expected: Record<Permission, Role[]> = {
  'elders.read': [A, M, C, D, CA, DR],
  'elders.write': [A, M, C],
  'elders.completeness': [A, M, C, D, DR],
  'elders.export': [A, M, C, D],
  'elders.idNumber.reveal': [A, M, C],
  'elders.phones.reveal': [A, M, C, D, CA, DR],
  'health.read': [M, C, DR],
  'health.write': [M, C, DR],
  'care.work': [A, M, C, CA, DR],
  'care.manage': [A, M, C],
  'care.alerts': [A, M, C, D],
  'incidents.read': [A, M, C, D],
  'incidents.ack': [A, M, C, D],
  'incidents.raise': [A, M, C, D],
  'incidents.raiseConcern': [A, M, C, D, CA, DR],
  'incidents.elderLink': [A, M, C],
  'referrals.handle': [A, M, C],
  'devices.read': [A, M, C, D],
  'devices.write': [A, M, C],
  'catalogue.read': [A, M, C, D, CA, DR, P],
  'catalogue.export': [A, M, C, D],
  'providers.read': [A, M, C, D, P],
  'providers.write': [A],
  'accounts.read': [A, M, C],
  'accounts.create': [A, C],
  'accounts.write': [A],
  'orgs.write': [A],
  'audit.read': [A, M],
  'audit.readAll': [A],
  'config.city': [A],
};

const city = [{ kind: 'city' }];
const street = [{ kind: 'street' }];

describe('the permission table', () => {
  it('names every permission the specification names, and no other', () => {
    expect([...permissions].sort()).toEqual(Object.keys(expected).sort());
  });

  for (const permission of Object.keys(expected) as Permission[]) {
    it(`${permission}: ${expected[permission].join(', ')}`, () => {
      for (const role of roles) {
        // a city node in scope, so only the role decides here
        expect(hasPermission({ role, scopes: city }, permission), `${role} × ${permission}`).toBe(
          expected[permission].includes(role),
        );
      }
      expect([...rolesWith(permission)].sort()).toEqual([...expected[permission]].sort());
    });
  }

  it('a provider reads the catalogue and its own provider record, and nothing of the registry (least data)', () => {
    const held = permissions.filter((p) => hasPermission({ role: 'provider', scopes: city }, p));
    expect(held.sort()).toEqual(['catalogue.read', 'providers.read']);
  });

  it('city-wide settings and the whole audit log need a city node, not only the admin role', () => {
    for (const p of ['config.city', 'audit.readAll'] as const) {
      expect(hasPermission({ role: 'admin', scopes: city }, p)).toBe(true);
      expect(hasPermission({ role: 'admin', scopes: street }, p)).toBe(false);
      expect(hasPermission({ role: 'admin', scopes: [] }, p)).toBe(false);
      expect(hasPermission({ role: 'manager', scopes: city }, p)).toBe(false);
    }
    // every other permission is the role's alone, whatever the scope
    expect(hasPermission({ role: 'admin', scopes: street }, 'orgs.write')).toBe(true);
    expect(hasPermission({ role: 'manager', scopes: [] }, 'audit.read')).toBe(true);
  });
});
