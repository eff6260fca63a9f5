import type { IncidentState, Outcome } from '../../../shared/incidents.ts';

/**
 * The incident state machine: open → acknowledged → responder_en_route → on_scene → resolved →
 * follow_up. Forward steps may be skipped (a responder dispatched acknowledges implicitly; a false
 * alarm is resolved straight from open); nothing goes back; resolving needs an outcome.
 */
const chain: IncidentState[] = ['open', 'acknowledged', 'responder_en_route', 'on_scene'];

export function canTransition(from: IncidentState, to: IncidentState): boolean {
  if (from === to) return false;
  if (to === 'follow_up') return from === 'resolved';
  if (to === 'resolved') return chain.includes(from);
  const i = chain.indexOf(from);
  const j = chain.indexOf(to);
  return i >= 0 && j > i;
}

export type TransitionCheck = { ok: true } | { ok: false; field: 'to' | 'outcome'; zh: string; en: string };

export function checkTransition(
  from: IncidentState,
  to: IncidentState,
  outcome: Outcome | null | undefined,
): TransitionCheck {
  if (!canTransition(from, to)) {
    return {
      ok: false,
      field: 'to',
      zh: `事件当前状态为“${stateLabels[from]}”，不能变为“${stateLabels[to]}”`,
      en: `The incident is ${from} and cannot become ${to}`,
    };
  }
  if (to === 'resolved' && !outcome) {
    return { ok: false, field: 'outcome', zh: '结案时必须选择处置结果', en: 'Resolving needs an outcome' };
  }
  if (to !== 'resolved' && outcome) {
    return {
      ok: false,
      field: 'outcome',
      zh: '只有结案时才能填写处置结果',
      en: 'An outcome is given only when resolving',
    };
  }
  return { ok: true };
}

export const stateLabels: Record<IncidentState, string> = {
  open: '待响应',
  acknowledged: '已响应',
  responder_en_route: '人员赶赴中',
  on_scene: '已到达现场',
  resolved: '已处置',
  follow_up: '回访跟进',
};
