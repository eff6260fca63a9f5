import { describe, expect, it } from 'vitest';
import {
  type OrderAction,
  type OrderActor,
  type OrderState,
  orderActions,
  orderActors,
  orderStates,
} from '../../../shared/orders-rules.ts';
import { availableActions, checkOrderAction } from './order-state.ts';

const office: OrderActor[] = ['dispatcher', 'coordinator', 'manager', 'admin'];

/** The specification: every legal (state, action, actor) and where it leads. Everything else is refused. */
const legal: [OrderAction, OrderState[], OrderActor[], OrderState][] = [
  ['dispatch', ['submitted', 'reopened'], [...office, 'system'], 'dispatched'],
  ['redispatch', ['dispatched', 'accepted', 'on_the_way'], office, 'dispatched'],
  ['redispatch', ['dispatched'], ['system'], 'dispatched'],
  ['accept', ['dispatched'], ['provider'], 'accepted'],
  ['decline', ['dispatched'], ['provider'], 'submitted'],
  ['depart', ['accepted'], ['provider'], 'on_the_way'],
  ['arrive', ['accepted', 'on_the_way'], ['provider'], 'in_service'],
  ['complete', ['in_service'], ['provider'], 'completed'],
  ['confirm', ['completed'], ['elder', 'provider', 'carer', ...office], 'confirmed'],
  ['follow_up', ['completed', 'confirmed'], ['carer', 'coordinator', 'admin'], 'followed_up'],
  ['close', ['followed_up'], ['coordinator', 'manager', 'admin', 'system'], 'closed'],
  [
    'cancel',
    ['submitted', 'reopened', 'dispatched', 'accepted', 'on_the_way', 'in_service'],
    office,
    'cancelled',
  ],
  ['cancel', ['submitted', 'reopened', 'dispatched', 'accepted'], ['elder'], 'cancelled'],
  ['reopen', ['confirmed', 'followed_up', 'closed'], ['coordinator', 'manager', 'admin'], 'reopened'],
];

function expected(state: OrderState, action: OrderAction, actor: OrderActor): OrderState | null {
  for (const [a, states, actors, to] of legal) {
    if (a === action && states.includes(state) && actors.includes(actor)) return to;
  }
  return null;
}

describe('the work-order state machine', () => {
  it('allows exactly the legal moves: every state × action × actor', () => {
    const wrong: string[] = [];
    for (const state of orderStates) {
      for (const action of orderActions) {
        for (const actor of orderActors) {
          const c = checkOrderAction({ current: state, action, actor, reason: '原因' });
          const got = c.ok ? c.to : null;
          const want = expected(state, action, actor);
          if (got !== want) wrong.push(`${actor} ${action} from ${state}: got ${got}, want ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('runs the happy path submitted → … → closed with the actors who do each step', () => {
    const steps: [OrderAction, OrderActor][] = [
      ['dispatch', 'dispatcher'],
      ['accept', 'provider'],
      ['depart', 'provider'],
      ['arrive', 'provider'],
      ['complete', 'provider'],
      ['confirm', 'elder'],
      ['follow_up', 'carer'],
      ['close', 'coordinator'],
    ];
    let state: OrderState = 'submitted';
    const seen: OrderState[] = [state];
    for (const [action, actor] of steps) {
      const c = checkOrderAction({ current: state, action, actor });
      if (!c.ok) throw new Error(c.zh);
      state = c.to;
      seen.push(state);
    }
    expect(seen).toEqual([
      'submitted',
      'dispatched',
      'accepted',
      'on_the_way',
      'in_service',
      'completed',
      'confirmed',
      'followed_up',
      'closed',
    ]);
  });

  it('a decline sends the order back for re-dispatch; a reopened order is dispatched again', () => {
    expect(
      checkOrderAction({ current: 'dispatched', action: 'decline', actor: 'provider', reason: '人手不足' }),
    ).toEqual({
      ok: true,
      to: 'submitted',
    });
    expect(checkOrderAction({ current: 'reopened', action: 'dispatch', actor: 'coordinator' })).toEqual({
      ok: true,
      to: 'dispatched',
    });
  });

  it('decline, cancel, reopen and redispatch need a reason (blank is no reason)', () => {
    const cases: [OrderAction, OrderState, OrderActor][] = [
      ['decline', 'dispatched', 'provider'],
      ['cancel', 'submitted', 'elder'],
      ['reopen', 'closed', 'coordinator'],
      ['redispatch', 'dispatched', 'system'],
    ];
    for (const [action, current, actor] of cases) {
      for (const reason of [undefined, null, '', '   ']) {
        expect(checkOrderAction({ current, action, actor, reason })).toMatchObject({
          ok: false,
          reason: 'missing',
          field: 'reason',
        });
      }
    }
    expect(
      checkOrderAction({ current: 'closed', action: 'reopen', actor: 'admin', reason: '' }),
    ).toMatchObject({
      zh: '重启必须填写原因',
    });
  });

  it('tells a conflict first, then an actor who never takes the action, then an illegal state', () => {
    expect(
      checkOrderAction({ current: 'accepted', expected: 'dispatched', action: 'accept', actor: 'provider' }),
    ).toMatchObject({
      ok: false,
      reason: 'conflict',
      zh: '操作冲突：该工单已被他人改为“已接单”，请刷新后重试',
    });
    expect(checkOrderAction({ current: 'dispatched', action: 'accept', actor: 'carer' })).toMatchObject({
      ok: false,
      reason: 'forbidden',
      zh: '关爱人员不能接单',
    });
    expect(checkOrderAction({ current: 'closed', action: 'follow_up', actor: 'carer' })).toMatchObject({
      ok: false,
      reason: 'illegal',
      zh: '该工单当前为“已办结”，不能回访',
      en: 'The order is closed; follow_up is not allowed',
    });
  });

  it('lists the actions each actor may take in a state', () => {
    expect(availableActions('dispatched', 'provider')).toEqual(['accept', 'decline']);
    expect(availableActions('dispatched', 'dispatcher')).toEqual(['redispatch', 'cancel']);
    expect(availableActions('completed', 'elder')).toEqual(['confirm']);
    expect(availableActions('closed', 'coordinator')).toEqual(['reopen']);
    expect(availableActions('cancelled', 'admin')).toEqual([]);
  });
});
