// Ability assessment of older adults, GB/T 42195-2022 老年人能力评估规范 (replaced MZ/T 039-2013).
// 26 items in four dimensions, higher is better: self-care 32, basic mobility 15, mental state 28,
// perception & social participation 15; total 90 (Annex B of the standard).
//
// Level adjustments (the standard's 等级变更条款), as we read them:
// - coma (昏迷) → 完全失能 directly, whatever the scores;
// - diagnosed dementia (F00–F03) or another mental/behavioural disorder diagnosed by a psychiatrist
//   (F04–F99) → one level up;
// - care-risk events in the last 30 days → one level up. The standard counts "2 or more care-risk
//   events (falls, choking, suicide/self-harm, wandering off…)"; DESIGN.md §4 asks for ≥ 2 falls or any
//   wandering-off, choking or self-harm. We apply DESIGN's rule, which raises in every case the
//   standard does (two events of which at most one is a fall always include a non-fall event).
// - The clauses do not stack: one raise in all, capped at 完全失能.

export const abilityDimensions = ['selfCare', 'mobility', 'mental', 'perception'] as const;
export type AbilityDimension = (typeof abilityDimensions)[number];

export const abilityDimensionInfo: Record<AbilityDimension, { zh: string; en: string; max: number }> = {
  selfCare: { zh: '自理能力', en: 'Self-care', max: 32 },
  mobility: { zh: '基础运动能力', en: 'Basic mobility', max: 15 },
  mental: { zh: '精神状态', en: 'Mental state', max: 28 },
  perception: { zh: '感知觉与社会参与', en: 'Perception and social participation', max: 15 },
};

export interface AbilityItem {
  key: string;
  zh: string;
  en: string;
  dimension: AbilityDimension;
  max: number;
}

export const abilityItems: readonly AbilityItem[] = [
  { key: 'eating', zh: '进食', en: 'Eating', dimension: 'selfCare', max: 4 },
  { key: 'grooming', zh: '修饰', en: 'Grooming', dimension: 'selfCare', max: 4 },
  { key: 'bathing', zh: '洗澡', en: 'Bathing', dimension: 'selfCare', max: 4 },
  { key: 'upperDressing', zh: '穿/脱上衣', en: 'Dressing the upper body', dimension: 'selfCare', max: 4 },
  {
    key: 'lowerDressing',
    zh: '穿/脱裤子和鞋袜',
    en: 'Dressing the lower body, shoes and socks',
    dimension: 'selfCare',
    max: 4,
  },
  { key: 'urination', zh: '小便控制', en: 'Bladder control', dimension: 'selfCare', max: 4 },
  { key: 'defecation', zh: '大便控制', en: 'Bowel control', dimension: 'selfCare', max: 4 },
  { key: 'toileting', zh: '如厕', en: 'Toileting', dimension: 'selfCare', max: 4 },
  { key: 'bedMobility', zh: '床上体位转移', en: 'Turning in bed', dimension: 'mobility', max: 4 },
  { key: 'bedChairTransfer', zh: '床椅转移', en: 'Bed–chair transfer', dimension: 'mobility', max: 4 },
  { key: 'walking', zh: '平地行走', en: 'Walking on level ground', dimension: 'mobility', max: 4 },
  { key: 'stairs', zh: '上下楼梯', en: 'Climbing stairs', dimension: 'mobility', max: 3 },
  { key: 'timeOrientation', zh: '时间定向', en: 'Orientation to time', dimension: 'mental', max: 4 },
  { key: 'placeOrientation', zh: '空间定向', en: 'Orientation to place', dimension: 'mental', max: 4 },
  { key: 'personOrientation', zh: '人物定向', en: 'Orientation to person', dimension: 'mental', max: 4 },
  { key: 'memory', zh: '记忆', en: 'Memory', dimension: 'mental', max: 4 },
  { key: 'comprehension', zh: '理解能力', en: 'Comprehension', dimension: 'mental', max: 4 },
  { key: 'expression', zh: '表达能力', en: 'Expression', dimension: 'mental', max: 4 },
  { key: 'aggression', zh: '攻击行为', en: 'Aggressive behaviour', dimension: 'mental', max: 1 },
  { key: 'depression', zh: '抑郁症状', en: 'Depressive symptoms', dimension: 'mental', max: 1 },
  { key: 'consciousness', zh: '意识水平', en: 'Level of consciousness', dimension: 'mental', max: 2 },
  { key: 'vision', zh: '视力', en: 'Vision', dimension: 'perception', max: 2 },
  { key: 'hearing', zh: '听力', en: 'Hearing', dimension: 'perception', max: 2 },
  { key: 'dailyAffairs', zh: '执行日常事务', en: 'Handling daily affairs', dimension: 'perception', max: 4 },
  {
    key: 'transportation',
    zh: '使用交通工具外出',
    en: 'Going out by transport',
    dimension: 'perception',
    max: 3,
  },
  { key: 'socialInteraction', zh: '社会交往能力', en: 'Social interaction', dimension: 'perception', max: 4 },
];

export const abilityItemByKey: ReadonlyMap<string, AbilityItem> = new Map(
  abilityItems.map((i) => [i.key, i]),
);

export type AbilityLevel = 0 | 1 | 2 | 3 | 4;

export const abilityLevels: readonly { level: AbilityLevel; zh: string; en: string }[] = [
  { level: 0, zh: '能力完好', en: 'Intact' },
  { level: 1, zh: '轻度失能', en: 'Mildly impaired' },
  { level: 2, zh: '中度失能', en: 'Moderately impaired' },
  { level: 3, zh: '重度失能', en: 'Severely impaired' },
  { level: 4, zh: '完全失能', en: 'Completely impaired' },
];

export interface AssessmentInput {
  items: Record<string, number>;
  dementia?: boolean;
  mentalDisorder?: boolean;
  falls30d?: number;
  wanderingOff30d?: number;
  choking30d?: number;
  selfHarm30d?: number;
  coma?: boolean;
}

export interface AssessmentResult {
  total: number;
  dimensions: Record<AbilityDimension, number>;
  baseLevel: AbilityLevel;
  level: AbilityLevel;
  /** Why the level differs from the base level: 'coma', 'dementia', 'mentalDisorder', 'riskEvents'. */
  adjusted: string[];
}

/** Thrown for unknown, missing or out-of-range item scores; `details` names each bad item in Chinese. */
export class AbilityScoreError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly details: { field: string; message: string }[]) {
    super(`能力评估评分有误：${details.map((d) => d.message).join('；')}`);
    this.name = 'AbilityScoreError';
  }
}

/** Level by total score: 90 → 0; 66–89 → 1; 46–65 → 2; 30–45 → 3; 0–29 → 4. */
export function levelForTotal(total: number): AbilityLevel {
  if (total >= 90) return 0;
  if (total >= 66) return 1;
  if (total >= 46) return 2;
  if (total >= 30) return 3;
  return 4;
}

export function validateAbilityItems(items: Record<string, number>): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(items)) {
    const item = abilityItemByKey.get(key);
    if (!item) {
      problems.push({ field: `items.${key}`, message: `未知的评估项目 ${key}` });
    } else if (!Number.isInteger(value) || value < 0 || value > item.max) {
      problems.push({ field: `items.${key}`, message: `${item.zh}的得分应为 0–${item.max} 的整数` });
    }
  }
  for (const item of abilityItems) {
    if (!(item.key in items)) problems.push({ field: `items.${item.key}`, message: `缺少${item.zh}的得分` });
  }
  return problems;
}

export function scoreAssessment(input: AssessmentInput): AssessmentResult {
  const problems = validateAbilityItems(input.items);
  if (problems.length > 0) throw new AbilityScoreError(problems);
  const dimensions: Record<AbilityDimension, number> = { selfCare: 0, mobility: 0, mental: 0, perception: 0 };
  for (const item of abilityItems) dimensions[item.dimension] += input.items[item.key]!;
  const total = dimensions.selfCare + dimensions.mobility + dimensions.mental + dimensions.perception;
  const baseLevel = levelForTotal(total);

  if (input.coma) return { total, dimensions, baseLevel, level: 4, adjusted: ['coma'] };
  const adjusted: string[] = [];
  if (input.dementia) adjusted.push('dementia');
  if (input.mentalDisorder) adjusted.push('mentalDisorder');
  if (
    (input.falls30d ?? 0) >= 2 ||
    (input.wanderingOff30d ?? 0) > 0 ||
    (input.choking30d ?? 0) > 0 ||
    (input.selfHarm30d ?? 0) > 0
  ) {
    adjusted.push('riskEvents');
  }
  const level = (adjusted.length > 0 ? Math.min(4, baseLevel + 1) : baseLevel) as AbilityLevel;
  return { total, dimensions, baseLevel, level, adjusted };
}
