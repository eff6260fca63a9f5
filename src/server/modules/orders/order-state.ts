import {
  type OrderAction,
  type OrderActor,
  type OrderState,
  orderActionNames,
  orderActorNames,
  orderStateNames,
} from '../../../shared/orders-rules.ts';

/**
 * The work-order (服务工单) state machine of issue 18:
 *
 *   submitted 待派单 → dispatched 已派单 → accepted 已接单 → on_the_way 已出发 → in_service 服务中
 *     → completed 已完成 → confirmed 已确认 → followed_up 已回访 → closed 已办结
 *
 * plus: a provider's decline sends a dispatched order back to submitted for re-dispatch (the decline is
 * an action with a reason, not a state: the order is waiting for a provider again); an order not yet
 * completed may be cancelled with a reason; a confirmed, followed-up or closed order may be reopened with
 * a reason (the service turned out not to be done), and a reopened order is dispatched again.
 *
 * Who may make each move is data (`rules`): for every action, the states it leaves per actor. Office
 * staff (dispatcher, coordinator, manager, admin) steer the order; the provider moves it through the
 * service; the elder or a relative confirms (and may withdraw a request nobody is on the way for); a
 * carer or coordinator makes the follow-up call; the system dispatches by rule and re-dispatches a
 * missed acceptance.
 */
export interface ActionRule {
  to: OrderState;
  /** the states each actor may take this action from; an actor not listed may not take it */
  from: Partial<Record<OrderActor, readonly OrderState[]>>;
  /** a reason is required (decline, cancel, reopen, redispatch) */
  needsReason?: boolean;
}

const office = ['dispatcher', 'coordinator', 'manager', 'admin'] as const;
const waiting: readonly OrderState[] = ['submitted', 'reopened'];
const beforeService: readonly OrderState[] = [
  'submitted',
  'reopened',
  'dispatched',
  'accepted',
  'on_the_way',
];

function each(actors: readonly OrderActor[], states: readonly OrderState[]) {
  return Object.fromEntries(actors.map((a) => [a, states])) as Partial<
    Record<OrderActor, readonly OrderState[]>
  >;
}

export const rules: Record<OrderAction, ActionRule> = {
  dispatch: { to: 'dispatched', from: each([...office, 'system'], waiting) },
  // taking the order from one provider to another before the service starts: the sweep does it when
  // nobody accepted in time, the office when an accepted provider does not turn up
  redispatch: {
    to: 'dispatched',
    from: { ...each(office, ['dispatched', 'accepted', 'on_the_way']), system: ['dispatched'] },
    needsReason: true,
  },
  accept: { to: 'accepted', from: { provider: ['dispatched'] } },
  decline: { to: 'submitted', from: { provider: ['dispatched'] }, needsReason: true },
  depart: { to: 'on_the_way', from: { provider: ['accepted'] } },
  // an errand (代购, 代办) or a call (精神慰藉) has no journey: arriving straight from accepted is allowed
  arrive: { to: 'in_service', from: { provider: ['accepted', 'on_the_way'] } },
  complete: { to: 'completed', from: { provider: ['in_service'] } },
  // the elder or a relative on the 长辈版 page or the ack link; the worker entering the one-time code the
  // elder reads out (the code is checked by the service); staff recording a confirmation by phone
  confirm: {
    to: 'confirmed',
    from: each(['elder', 'provider', 'carer', ...office], ['completed']),
  },
  // the follow-up call that reaches the elder confirms as well, so it may start from completed
  follow_up: { to: 'followed_up', from: each(['carer', 'coordinator', 'admin'], ['completed', 'confirmed']) },
  close: { to: 'closed', from: each(['coordinator', 'manager', 'admin', 'system'], ['followed_up']) },
  cancel: {
    to: 'cancelled',
    from: {
      ...each(office, [...beforeService, 'in_service']),
      elder: waiting.concat(['dispatched', 'accepted']),
    },
    needsReason: true,
  },
  reopen: {
    to: 'reopened',
    from: each(['coordinator', 'manager', 'admin'], ['confirmed', 'followed_up', 'closed']),
    needsReason: true,
  },
};

export const isFinished = (s: OrderState) => s === 'closed' || s === 'cancelled';

/** The provider's work ends at completion; what follows belongs to the elder and the office. */
export const isWithProvider = (s: OrderState) =>
  s === 'dispatched' || s === 'accepted' || s === 'on_the_way' || s === 'in_service';

export interface OrderMove {
  current: OrderState;
  /** the state the client saw; a different current state is a conflict */
  expected?: OrderState;
  action: OrderAction;
  actor: OrderActor;
  reason?: string | null;
}

export type OrderCheck =
  | { ok: true; to: OrderState }
  | {
      ok: false;
      reason: 'conflict' | 'illegal' | 'forbidden' | 'missing';
      field: string;
      zh: string;
      en: string;
    };

/**
 * Whether `actor` may take `action` on an order now in `current`. Told in this order: a conflict (someone
 * else moved the order since the client read it), an actor who never takes this action, a move the
 * machine does not allow from this state, a missing reason.
 */
export function checkOrderAction(m: OrderMove): OrderCheck {
  const { current, action, actor } = m;
  const verb = orderActionNames[action];
  if (m.expected && m.expected !== current) {
    return {
      ok: false,
      reason: 'conflict',
      field: 'expectedState',
      zh: `操作冲突：该工单已被他人改为“${orderStateNames[current]}”，请刷新后重试`,
      en: `Conflict: someone else changed this order to ${current}; reload and try again`,
    };
  }
  const rule = rules[action];
  const from = rule.from[actor];
  if (!from) {
    return {
      ok: false,
      reason: 'forbidden',
      field: 'action',
      zh: `${orderActorNames[actor]}不能${verb}`,
      en: `A ${actor} cannot ${action} an order`,
    };
  }
  if (!from.includes(current)) {
    return {
      ok: false,
      reason: 'illegal',
      field: 'action',
      zh: `该工单当前为“${orderStateNames[current]}”，不能${verb}`,
      en: `The order is ${current}; ${action} is not allowed`,
    };
  }
  if (rule.needsReason && !m.reason?.trim()) {
    return {
      ok: false,
      reason: 'missing',
      field: 'reason',
      zh: `${verb}必须填写原因`,
      en: `${action} needs a reason`,
    };
  }
  return { ok: true, to: rule.to };
}

/** The actions `actor` may take on an order in `state` (the buttons a screen offers). */
export function availableActions(state: OrderState, actor: OrderActor): OrderAction[] {
  return (Object.keys(rules) as OrderAction[]).filter((a) => rules[a].from[actor]?.includes(state));
}
