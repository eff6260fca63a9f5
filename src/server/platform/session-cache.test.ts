import { describe, expect, it } from 'vitest';
import { type AuthContext, SessionCache } from './auth.ts';

const auth = (userId: number, hash = `h${userId}`): AuthContext => ({
  userId,
  username: `u${userId}`,
  displayName: `用户${userId}`,
  role: 'carer',
  carerKind: 'volunteer',
  scopes: [{ id: 1, name: '社区', kind: 'community', path: '/1/' }],
  csrfToken: 'csrf',
  sessionHash: hash,
});

/** A cache with a hand-moved monotonic clock. */
function cache(ttlMs = 5000, max = 100) {
  let t = 0;
  const c = new SessionCache(ttlMs, max, () => t);
  return { c, tick: (ms: number) => (t += ms) };
}

const now = new Date('2026-11-22T02:00:00Z');
const later = new Date('2026-11-22T14:00:00Z');

describe('session cache', () => {
  it('answers a fresh entry and forgets it after the TTL', () => {
    const { c, tick } = cache(5000);
    c.set('h1', auth(1), later, c.begin());
    expect(c.get('h1', now)?.userId).toBe(1);
    tick(4999);
    expect(c.get('h1', now)?.userId).toBe(1);
    tick(1);
    expect(c.get('h1', now)).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('never answers past the session expiry on the app clock', () => {
    const { c } = cache(5000);
    c.set('h1', auth(1), later, c.begin());
    expect(c.get('h1', new Date(later.getTime() - 1))?.userId).toBe(1);
    expect(c.get('h1', later)).toBeUndefined();
  });

  it('evicts one session on logout and every session of a user on an account change', () => {
    const { c } = cache();
    c.set('a', auth(1, 'a'), later, c.begin());
    c.set('b', auth(1, 'b'), later, c.begin());
    c.set('c', auth(2, 'c'), later, c.begin());
    c.evictSession('a');
    expect(c.get('a', now)).toBeUndefined();
    expect(c.get('b', now)?.userId).toBe(1);
    c.evictUser(1);
    expect(c.get('b', now)).toBeUndefined();
    expect(c.get('c', now)?.userId).toBe(2);
  });

  it('does not keep a lookup that began before an eviction (it may have read the old state)', () => {
    const { c } = cache();
    const since = c.begin();
    c.evictUser(1); // e.g. a password change commits while the lookup is in flight
    c.set('h1', auth(1), later, since);
    expect(c.get('h1', now)).toBeUndefined();
  });

  it('hands out a frozen context, keeps at most maxEntries and caches nothing with a TTL of 0', () => {
    const { c } = cache(5000, 2);
    c.set('h1', auth(1), later, c.begin());
    const a = c.get('h1', now) as AuthContext;
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.scopes)).toBe(true);
    c.set('h2', auth(2), later, c.begin());
    c.set('h3', auth(3), later, c.begin());
    expect(c.size).toBe(2);
    expect(c.get('h1', now)).toBeUndefined(); // the oldest went first
    const off = new SessionCache(0);
    off.set('h1', auth(1), later, off.begin());
    expect(off.get('h1', now)).toBeUndefined();
  });
});
