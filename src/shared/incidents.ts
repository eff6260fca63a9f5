import { z } from 'zod';
import { type Channel, channelSchema, channels } from './notifications.ts';

// Emergency response (issue 5): incidents, escalation ladders, devices, notifications, push events.

export const incidentKinds = [
  'sos_device',
  'sos_hotline',
  'fall',
  'no_contact_deadline',
  'not_reached',
  'device_silent',
  'carer_concern',
] as const;
export const incidentKindSchema = z.enum(incidentKinds);
export type IncidentKind = z.infer<typeof incidentKindSchema>;

export const incidentKindLabels: Record<IncidentKind, { zh: string; en: string }> = {
  sos_device: { zh: '一键呼叫求助', en: 'SOS from a device' },
  sos_hotline: { zh: '热线求助', en: 'SOS by hotline' },
  fall: { zh: '跌倒报警', en: 'Fall alarm' },
  no_contact_deadline: { zh: '当日未联系上（超过截止时间）', en: 'No contact by the deadline' },
  not_reached: { zh: '重点老人联系不上', en: 'At-risk elder not reached' },
  device_silent: { zh: '设备失联', en: 'Device silent' },
  carer_concern: { zh: '走访人员报告异常', en: 'Concern raised by a carer' },
};

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export const severitySchema = z.enum(severities);
export type Severity = z.infer<typeof severitySchema>;

export const incidentStates = [
  'open',
  'acknowledged',
  'responder_en_route',
  'on_scene',
  'resolved',
  'follow_up',
] as const;
export const incidentStateSchema = z.enum(incidentStates);
export type IncidentState = z.infer<typeof incidentStateSchema>;
/** States in which an incident is "open" for joining duplicates and for the console queue. */
export const activeStates: readonly IncidentState[] = [
  'open',
  'acknowledged',
  'responder_en_route',
  'on_scene',
];

export const outcomes = ['false_alarm', 'handled_at_home', 'to_hospital', 'deceased', 'other'] as const;
export const outcomeSchema = z.enum(outcomes);
export type Outcome = z.infer<typeof outcomeSchema>;

export const whoms = [
  'dispatcher_on_duty',
  'circle',
  'community_worker',
  'unit_contact',
  'family_doctor',
  'supervisor',
  'emergency_services',
] as const;
export const whomSchema = z.enum(whoms);
export type Whom = z.infer<typeof whomSchema>;

// a ladder step's channels are the outbox's (shared/notifications.ts); re-exported for the ladder's users
export { type Channel, channelSchema, channels };

// Messages name the field in Chinese: the ladder editor shows them next to the field they belong to.
export const ladderStepSchema = z.object({
  whom: z.enum(whoms, { error: '请选择通知对象' }),
  channels: z
    .array(z.enum(channels, { error: '通知渠道不正确' }), { error: '请选择通知渠道' })
    .min(1, '至少选择一个通知渠道'),
  /** seconds to wait for an acknowledgement before the next attempt or step */
  waitSeconds: z
    .number({ error: '请填写等待时间（秒）' })
    .int('等待时间应为整数秒')
    .min(0, '等待时间不能小于 0 秒')
    .max(86_400, '等待时间最长 86400 秒（24 小时）'),
  /** extra attempts of this step before moving on */
  repeats: z
    .number({ error: '重复次数应为数字' })
    .int('重复次数应为整数')
    .min(0, '重复次数不能小于 0')
    .max(10, '重复次数最多 10 次')
    .default(0),
  /** for `circle`: how many contacts, in priority order (1 = the first one only) */
  circleCount: z
    .number({ error: '通知人数应为数字' })
    .int('通知人数应为整数')
    .min(1, '通知人数至少 1 人')
    .max(20, '通知人数最多 20 人')
    .optional(),
  /** for `emergency_services`: the number the dispatcher is prompted to call */
  emergencyNumber: z.enum(['110', '120', '119'], { error: '急救/报警电话应为 110、120 或 119' }).optional(),
});
export type LadderStep = z.infer<typeof ladderStepSchema>;

export const ladderSchema = z.object({
  kind: incidentKindSchema,
  steps: z
    .array(ladderStepSchema, { error: '请填写升级步骤' })
    .min(1, '至少需要一个升级步骤')
    .max(20, '升级步骤最多 20 个'),
  /** the same recipient, channel and address is messaged at most once in this many seconds */
  throttleSeconds: z
    .number({ error: '限频时间应为数字（秒）' })
    .int('限频时间应为整数秒')
    .min(0, '限频时间不能小于 0 秒')
    .max(3600, '限频时间最长 3600 秒（1 小时）')
    .default(60),
});
export type Ladder = z.infer<typeof ladderSchema>;
export const ladderBody = ladderSchema.omit({ kind: true });
export const ladderKindParams = z.object({ kind: incidentKindSchema });
export const ladderResponse = ladderSchema.extend({ updatedAt: z.string().nullable() });
export const ladderListResponse = z.object({ items: z.array(ladderResponse) });

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const timelineEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  type: z.string(),
  actor: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const incidentSchema = z.object({
  id: z.number(),
  elderId: z.number(),
  elderName: z.string().nullable(),
  orgPath: z.string(),
  kind: incidentKindSchema,
  severity: severitySchema,
  state: incidentStateSchema,
  outcome: outcomeSchema.nullable(),
  stepIndex: z.number(),
  stepAttempt: z.number(),
  nextStepAt: z.string().nullable(),
  lastStepAt: z.string().nullable(),
  triggeredAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  /** 负责人: who took it on (a staff action or "我去看看"); null while nobody has */
  responsible: z.string().nullable(),
  /** 已知晓: who only said "收到 — 我已知道" (the ladder goes on) */
  knownBy: z.array(z.string()),
  resolvedAt: z.string().nullable(),
  /** 回访跟进: when the follow-up is due, and when it was recorded done */
  followUpDueAt: z.string().nullable(),
  followedUpAt: z.string().nullable(),
  triggers: z.number(),
  summary: z.string().nullable(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentListQuery = z.object({
  state: z.enum(['active', 'all', ...incidentStates]).default('active'),
  elderId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const incidentListResponse = z.object({ items: z.array(incidentSchema), total: z.number() });

// History (issue 11.3): every incident, resolved ones included, newest first, in the caller's scope.
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const incidentHistoryQuery = z
  .object({
    state: incidentStateSchema.optional(),
    kind: incidentKindSchema.optional(),
    /** first and last day (Asia/Shanghai) of the trigger time, both included */
    from: day.optional(),
    to: day.optional(),
    /** an org in scope: its whole subtree */
    orgId: z.coerce.number().int().positive().optional(),
    elderId: z.coerce.number().int().positive().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    message: '结束日期不能早于开始日期',
  });
export const followUpQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
/** The follow-up queue: due first (overdue on top), with how many are overdue now. */
export const followUpResponse = incidentListResponse.extend({ overdue: z.number() });
export const followUpDoneBody = z.object({
  note: z
    .string({ error: '请填写回访情况' })
    .trim()
    .min(1, '请填写回访情况')
    .max(2000, '回访情况最多 2000 字'),
});

const ackRepliesList = ['received', 'going'] as const;
export const notificationSchema = z.object({
  id: z.number(),
  stepIndex: z.number(),
  attempt: z.number(),
  whom: z.string(),
  recipient: z.string(),
  channel: channelSchema,
  status: z.string(),
  attempts: z.number(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  ackedAt: z.string().nullable(),
  /** the answer given through this message's link: 收到 (knows) or 我去看看 (takes it on) */
  ackReply: z.enum(ackRepliesList).nullable(),
  lastError: z.string().nullable(),
});

export const incidentDetailResponse = z.object({
  incident: incidentSchema,
  timeline: z.array(timelineEntrySchema),
  notifications: z.array(notificationSchema),
  /** the elder's archive at a glance, from the registry (shape owned by the elders module) */
  archive: z.record(z.string(), z.unknown()).nullable(),
  recentIncidents: z.array(incidentSchema),
  /** the prompted action of the current step, e.g. "call 120" */
  prompt: z.string().nullable(),
});

export const createIncidentBody = z.object({
  elderId: z.number().int().positive(),
  kind: incidentKindSchema,
  severity: severitySchema.optional(),
  summary: z.string().trim().max(500).optional(),
});
export const createIncidentResponse = z.object({ incident: incidentSchema, joined: z.boolean() });

export const transitionBody = z.object({
  to: incidentStateSchema,
  outcome: outcomeSchema.optional(),
  note: z.string().trim().max(2000).optional(),
  /** only with `to: follow_up`: when the follow-up is due (default: 24 hours from now) */
  followUpDueAt: z.iso.datetime({ offset: true, error: '回访时间格式不正确' }).optional(),
});
export const noteBody = z.object({ text: z.string().trim().min(1, '请填写内容').max(2000) });
export const dispatchBody = z.object({
  responder: z.string().trim().min(1, '请填写出动人员').max(100),
  phone: z.string().trim().max(32).optional(),
  note: z.string().trim().max(500).optional(),
});
export const incidentResponse = z.object({ incident: incidentSchema });
/** One incident's story for the history and the elder's page: events, messages, who knew / took it on. */
export const incidentTimelineResponse = incidentDetailResponse.pick({
  incident: true,
  timeline: true,
  notifications: true,
});

// Acknowledgement by link, for relatives without accounts. Any token shape is looked up, so a
// malformed, unknown or expired link all answer the same 404.
export const ackTokenParams = z.object({ token: z.string().min(1).max(256) });
/** "received" = 收到, I know (the ladder goes on); "going" = 我去看看, I take it on (the ladder stops) */
export const ackReplies = ackRepliesList;
export type AckReply = (typeof ackReplies)[number];
export const ackBody = z.object({ reply: z.enum(ackReplies).default('received') });
export const ackInfoResponse = z.object({
  elderName: z.string(),
  kind: incidentKindSchema,
  kindLabel: z.string(),
  recipient: z.string(),
  triggeredAt: z.string(),
  used: z.boolean(),
  /** this link's answer so far: after "received" the relative may still say "going" */
  reply: z.enum(ackReplies).nullable(),
  incidentOpen: z.boolean(),
});
export const ackDoneResponse = z.object({ ok: z.literal(true), reply: z.enum(['received', 'going']) });

// Devices
export const deviceKinds = ['one_key_phone', 'wearable'] as const;
export const deviceEventKinds = ['sos', 'fall', 'heartbeat', 'battery_low'] as const;
export const registerDeviceBody = z.object({
  elderId: z.number().int().positive(),
  kind: z.enum(deviceKinds),
  label: z.string().trim().max(100).optional(),
  /** a heartbeat is expected at least this often; silence for longer raises device_silent */
  heartbeatPeriodSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3600),
});
export const deviceSchema = z.object({
  id: z.string(),
  elderId: z.number(),
  kind: z.enum(deviceKinds),
  label: z.string().nullable(),
  heartbeatPeriodSeconds: z.number(),
  lastSeenAt: z.string().nullable(),
  batteryLowAt: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
});
/** the secret is shown once, at registration */
export const registerDeviceResponse = z.object({ device: deviceSchema, secret: z.string() });
export const deviceListQuery = z.object({ elderId: z.coerce.number().int().positive().optional() });
export const deviceListResponse = z.object({ items: z.array(deviceSchema) });
export const deviceIdParams = z.object({ deviceId: z.string().min(1).max(64) });
export const deviceEventBody = z.object({
  eventId: z.string().trim().min(1).max(100),
  kind: z.enum(deviceEventKinds),
  at: z.string().datetime({ offset: true }),
});
export const deviceEventResponse = z.object({
  eventId: z.string(),
  accepted: z.literal(true),
  duplicate: z.boolean(),
  incidentId: z.number().nullable(),
});

/** What a ladder would really do for one elder now (the circle panel's 呼叫顺序). */
export const ladderPreviewQuery = z.object({
  elderId: z.coerce.number().int().positive(),
  kind: incidentKindSchema.default('sos_device'),
});
export const ladderPreviewResponse = z.object({
  kind: incidentKindSchema,
  /** rung by rung; a rung with no recipients today is skipped when it fires */
  steps: z.array(
    z.object({
      whom: whomSchema,
      /** names as they would be told (staff rungs: the people on duty or covering the elder) */
      recipients: z.array(z.string()),
      waitSeconds: z.number(),
      emergencyNumber: z.string().nullable(),
    }),
  ),
});

// 长辈版 elder page
export const elderPageParams = z.object({ token: z.string().min(16).max(128) });
export const elderPageResponse = z.object({
  name: z.string(),
  /**
   * who an SOS will reach, in order, as the elder's SOS ladder really runs today (empty rungs left
   * out); staff rungs carry no name, only their role
   */
  callList: z.array(z.object({ name: z.string(), relation: z.string(), role: whomSchema })),
  /** the last rung: the dispatcher is told to call this number (120), or null */
  emergencyNumber: z.string().nullable(),
  checkedInToday: z.boolean(),
  openIncident: z.boolean(),
  /** the elder has said 我按错了 about the open incident (the dispatcher still calls back) */
  falseAlarmReported: z.boolean(),
});
export const elderPageOkResponse = z.object({ ok: z.literal(true), date: z.string() });
export const elderPageSosBody = z.object({
  confirm: z.literal(true),
  /**
   * the page's own id for this press, kept while it retries: the same requestId twice is one SOS
   * (optional, so an older page still works)
   */
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export const elderPageSosResponse = z.object({
  ok: z.literal(true),
  incidentId: z.number(),
  /** true when this requestId was answered before: nothing new was raised */
  duplicate: z.boolean(),
});
export const elderPageFalseAlarmResponse = z.object({ ok: z.literal(true), incidentId: z.number() });
export const elderLinkResponse = z.object({
  token: z.string(),
  path: z.string(),
  /** when this link was made (it stays the same when shown again) */
  createdAt: z.string(),
});

// Push events (server-sent events): ids and small payloads; the browser refetches.
export const pushEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('incident'),
    incidentId: z.number(),
    state: incidentStateSchema,
    kind: incidentKindSchema,
    severity: severitySchema,
    change: z.enum(['opened', 'joined', 'step', 'acknowledged', 'known', 'transition', 'note']),
  }),
  z.object({ type: z.literal('ladder_step'), incidentId: z.number(), notificationId: z.number() }),
]);
export type PushEvent = z.infer<typeof pushEventSchema>;
