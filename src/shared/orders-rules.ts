import { z } from 'zod';

/**
 * The vocabulary of the work-order rules (issue 18) that server and web share: states, actions,
 * clocks and the codes of the dispatch reasons, each with its Chinese name. The rules themselves are
 * in `src/server/modules/orders/` (order-state, clocks, workday-calendar, petition-clocks, dispatch-rank).
 */

export const orderStates = [
  'submitted',
  'dispatched',
  'accepted',
  'on_the_way',
  'in_service',
  'completed',
  'confirmed',
  'followed_up',
  'closed',
  'cancelled',
  'reopened',
] as const;
export const orderStateSchema = z.enum(orderStates);
export type OrderState = z.infer<typeof orderStateSchema>;

export const orderStateNames: Record<OrderState, string> = {
  submitted: '待派单',
  dispatched: '已派单',
  accepted: '已接单',
  on_the_way: '已出发',
  in_service: '服务中',
  completed: '已完成',
  confirmed: '已确认',
  followed_up: '已回访',
  closed: '已办结',
  cancelled: '已取消',
  reopened: '已重启',
};

export const orderActions = [
  'dispatch',
  'redispatch',
  'accept',
  'decline',
  'depart',
  'arrive',
  'complete',
  'confirm',
  'follow_up',
  'close',
  'cancel',
  'reopen',
] as const;
export const orderActionSchema = z.enum(orderActions);
export type OrderAction = z.infer<typeof orderActionSchema>;

/** The action as a verb after 不能 (“该工单当前为“已派单”，不能回访”). */
export const orderActionNames: Record<OrderAction, string> = {
  dispatch: '派单',
  redispatch: '改派',
  accept: '接单',
  decline: '拒单',
  depart: '出发',
  arrive: '到达并开始服务',
  complete: '完成服务',
  confirm: '确认服务',
  follow_up: '回访',
  close: '办结',
  cancel: '取消',
  reopen: '重启',
};

/**
 * Who moves an order: the staff roles, the elder or a relative (the 长辈版 page, the ack link, the
 * one-key device) and the system (automatic dispatch, the sweep that re-dispatches a missed acceptance).
 */
export const orderActors = [
  'admin',
  'manager',
  'coordinator',
  'dispatcher',
  'carer',
  'doctor',
  'provider',
  'elder',
  'system',
] as const;
export type OrderActor = (typeof orderActors)[number];

export const orderActorNames: Record<OrderActor, string> = {
  admin: '管理员',
  manager: '主管领导',
  coordinator: '工作人员',
  dispatcher: '调度员',
  carer: '关爱人员',
  doctor: '医生',
  provider: '服务商',
  elder: '老人或家属',
  system: '系统',
};

/** Typed clocks of an order; the `petition_*` ones are the 信访工作条例 (2022) deadlines. */
export const clockKinds = [
  'accept',
  'arrive',
  'complete',
  'follow_up',
  'petition_route',
  'petition_notice',
  'petition_handle',
  'petition_review',
  'petition_recheck',
] as const;
export const clockKindSchema = z.enum(clockKinds);
export type ClockKind = z.infer<typeof clockKindSchema>;

export const clockKindNames: Record<ClockKind, string> = {
  accept: '接单时限',
  arrive: '上门时限',
  complete: '完成时限',
  follow_up: '回访时限',
  petition_route: '信访登记转送时限',
  petition_notice: '信访书面告知时限',
  petition_handle: '信访办结时限',
  petition_review: '复查答复时限',
  petition_recheck: '复核答复时限',
};

/** `working`: only working time on the working-day calendar counts; `wall`: every minute counts. */
export const slaBases = ['working', 'wall'] as const;
export type SlaBasis = (typeof slaBases)[number];

/** How a clock looks to a person now (see `clockBoard`). */
export const clockStatuses = [
  'running',
  'due_soon',
  'breached',
  'paused',
  'met',
  'met_late',
  'stopped',
] as const;
export type ClockStatus = (typeof clockStatuses)[number];

export const clockStatusNames: Record<ClockStatus, string> = {
  running: '计时中',
  due_soon: '即将到期',
  breached: '已超时',
  paused: '已暂停',
  met: '按时完成',
  met_late: '超时完成',
  stopped: '已停止',
};

/**
 * The reason a provider is suggested (or not), as codes with parameters so the web can translate; the
 * Chinese templates below are what the dispatcher reads (`同社区 · 在办 3/10 · 准时率 96%`).
 */
export const proximityLevels = ['grid', 'community', 'street', 'district', 'city'] as const;
export type ProximityLevel = (typeof proximityLevels)[number];

export const proximityNames: Record<ProximityLevel, string> = {
  grid: '同网格',
  community: '同社区',
  street: '同街道',
  district: '同区',
  city: '同城',
};

export type DispatchReason =
  | { code: 'proximity'; params: { level: ProximityLevel } }
  | { code: 'load'; params: { open: number; capacity: number } }
  | { code: 'on_time_rate'; params: { percent: number } }
  | { code: 'rating'; params: { average: number } }
  | { code: 'no_record'; params: Record<string, never> };

export type DispatchExclusion =
  | 'inactive'
  | 'contract_not_started'
  | 'contract_ended'
  | 'item_not_served'
  | 'area_not_covered'
  | 'at_capacity';

export const dispatchExclusionNames: Record<DispatchExclusion, string> = {
  inactive: '服务商已停用',
  contract_not_started: '合同未生效',
  contract_ended: '合同已到期',
  item_not_served: '不提供该服务项目',
  area_not_covered: '服务区域未覆盖老人所在地',
  at_capacity: '在办工单已满',
};

/** The Chinese text of one reason; the web joins them with ` · `. */
export function dispatchReasonText(r: DispatchReason): string {
  switch (r.code) {
    case 'proximity':
      return proximityNames[r.params.level];
    case 'load':
      return `在办 ${r.params.open}/${r.params.capacity}`;
    case 'on_time_rate':
      return `准时率 ${r.params.percent}%`;
    case 'rating':
      return `评分 ${r.params.average.toFixed(1)}`;
    case 'no_record':
      return '暂无服务记录';
  }
}

export const dispatchReasonLine = (reasons: readonly DispatchReason[]) =>
  reasons.map(dispatchReasonText).join(' · ');
