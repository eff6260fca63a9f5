import { describe, expect, it } from 'vitest';
import type { AuthContext } from './auth.ts';
import { shanghaiDate } from './clock.ts';
import { pathInScope } from './scope.ts';

const auth = (paths: string[]) =>
  ({ scopes: paths.map((path, i) => ({ id: i, name: '', kind: '', path })) }) as unknown as AuthContext;

describe('scope', () => {
  it('sees everything under a scope node and nothing beside it', () => {
    const a = auth(['/1/4/']);
    expect(pathInScope(a, '/1/4/')).toBe(true);
    expect(pathInScope(a, '/1/4/9/12/')).toBe(true);
    expect(pathInScope(a, '/1/41/')).toBe(false); // a sibling whose id starts alike
    expect(pathInScope(a, '/1/')).toBe(false);
  });
  it('combines several scope nodes', () => {
    const a = auth(['/1/4/', '/7/']);
    expect(pathInScope(a, '/7/8/')).toBe(true);
    expect(pathInScope(auth([]), '/1/')).toBe(false);
  });
});

describe('Asia/Shanghai dates', () => {
  it('turns the UTC evening into the next day in Shanghai', () => {
    expect(shanghaiDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
    expect(shanghaiDate(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
  });
});
