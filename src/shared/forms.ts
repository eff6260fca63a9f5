import { z } from 'zod';
import { livingSituations } from './elders.ts';

/**
 * The form of a screening campaign (排查 / 紧急统计, issue 14), shared by the server (validation of
 * definitions and answers, results) and the web (form builder, the carer's phone form, preview).
 *
 * A form is versioned JSON: a campaign fixes the version it uses, so answers are always read against
 * the definition they were given to. A question may be shown only when an *earlier* answer says so,
 * which keeps visibility a single pass in order (decision 0019). "未联系上" and "拒绝" are built-in
 * answers of every form, not questions an office has to remember to add.
 */

export const questionTypes = ['single', 'multiple', 'yes_no', 'number', 'text', 'date'] as const;
export type QuestionType = (typeof questionTypes)[number];
export const questionTypeNames: Record<QuestionType, { zh: string; en: string }> = {
  single: { zh: '单选', en: 'Single choice' },
  multiple: { zh: '多选', en: 'Multiple choice' },
  yes_no: { zh: '是/否', en: 'Yes / no' },
  number: { zh: '数字', en: 'Number' },
  text: { zh: '文字', en: 'Text' },
  date: { zh: '日期', en: 'Date' },
};

/** How a form ends: answered, or one of the two built-in answers that end it. */
export const formOutcomes = ['answered', 'not_reached', 'refused'] as const;
export type FormOutcome = (typeof formOutcomes)[number];
export const formOutcomeNames: Record<FormOutcome, { zh: string; en: string }> = {
  answered: { zh: '已填答', en: 'Answered' },
  not_reached: { zh: '未联系上', en: 'Not reached' },
  refused: { zh: '拒绝', en: 'Refused' },
};

/**
 * Registry and health-ledger fields a question may propose a change to. The answer never writes the
 * field: it becomes a proposed change the coordinator accepts (issue 14, deliverable 3).
 */
export const formTargets = {
  'elder.livingSituation': { zh: '居住情况', en: 'living situation', types: ['single'] },
  'elder.hearingImpaired': { zh: '听力障碍', en: 'hearing impaired', types: ['yes_no'] },
  'elder.visionImpaired': { zh: '视力障碍', en: 'vision impaired', types: ['yes_no'] },
  'elder.mobilityImpaired': { zh: '行动不便', en: 'mobility impaired', types: ['yes_no'] },
  'elder.cognitionImpaired': { zh: '认知障碍', en: 'cognition impaired', types: ['yes_no'] },
  'health.conditions': { zh: '慢性病', en: 'chronic conditions', types: ['single', 'multiple'] },
  'health.medicationNotes': { zh: '用药备注', en: 'medication notes', types: ['text'] },
} as const satisfies Record<string, { zh: string; en: string; types: readonly QuestionType[] }>;
export type FormTarget = keyof typeof formTargets;
const formTargetKeys = Object.keys(formTargets) as [FormTarget, ...FormTarget[]];

// Zod messages are keys of this table, so a structural problem is reported in both languages.
const messages = {
  form: { zh: '表单定义格式不正确', en: 'Not a form definition' },
  id: { zh: '编号只能用小写字母、数字和下划线，以字母开头，不超过 40 个字符', en: 'Invalid id' },
  title: { zh: '表单标题不能为空，不超过 100 字', en: 'The title is required (at most 100 characters)' },
  version: { zh: '版本号应为正整数', en: 'The version must be a positive whole number' },
  questions: { zh: '表单至少要有 1 道题，最多 100 道', en: 'A form has 1 to 100 questions' },
  label: { zh: '题目不能为空，不超过 200 字', en: 'The question text is required (at most 200 characters)' },
  help: { zh: '说明不超过 500 字', en: 'The help text is at most 500 characters' },
  type: { zh: '题型不正确', en: 'Unknown question type' },
  options: { zh: '选择题至少要有 2 个选项，最多 30 个', en: 'A choice question has 2 to 30 options' },
  optionLabel: { zh: '选项文字不能为空，不超过 50 字', en: 'An option needs a text (at most 50 characters)' },
  unit: { zh: '单位不超过 10 字', en: 'The unit is at most 10 characters' },
  bound: { zh: '取值范围应为数字', en: 'The range must be numbers' },
  maxLength: { zh: '字数上限应为 1 到 2000', en: 'The length limit must be 1 to 2000' },
  maxSelected: { zh: '最多可选项数应为正整数', en: 'The selection limit must be a positive whole number' },
  showIf: { zh: '显示条件不完整', en: 'The show condition is incomplete' },
  mapsTo: { zh: '对应的档案字段不正确', en: 'Unknown registry field' },
} as const;

const key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'id');
const bound = z.number('bound').finite('bound');

export const formOptionSchema = z.object({
  value: key,
  label: z.string('optionLabel').trim().min(1, 'optionLabel').max(50, 'optionLabel'),
  /** "无" / "未发现隐患": cannot be chosen together with another option of a multiple choice */
  exclusive: z.boolean().optional(),
});
export type FormOption = z.infer<typeof formOptionSchema>;

/**
 * Show the question only when an earlier question's answer says so. `equals`: the option chosen (a
 * multiple choice: the option is among those chosen), yes/no, or the number; `one_of`: any of these
 * options chosen; `gt`/`gte`/`lt`/`lte`: a number answer compared. An unanswered or hidden earlier
 * question never satisfies a condition.
 */
export const showConditionSchema = z.discriminatedUnion(
  'op',
  [
    z.object({
      question: key,
      op: z.literal('equals'),
      value: z.union([z.string(), z.number(), z.boolean()], 'showIf'),
    }),
    z.object({ question: key, op: z.literal('one_of'), values: z.array(key, 'showIf').min(1, 'showIf') }),
    z.object({ question: key, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: bound }),
  ],
  'showIf',
);
export type ShowCondition = z.infer<typeof showConditionSchema>;

export const formMappingSchema = z.object({
  field: z.enum(formTargetKeys, 'mapsTo'),
  /**
   * option value → the registry's value (居住情况 '独居', a condition's name); when given, an option not
   * listed proposes nothing. Without it, an option proposes its own text (for 居住情况, only a text that
   * is a registry code); an exclusive option ('无') never does.
   */
  values: z.record(key, z.string().trim().min(1).max(50), 'mapsTo').optional(),
});
export type FormMapping = z.infer<typeof formMappingSchema>;

const base = {
  id: key,
  label: z.string('label').trim().min(1, 'label').max(200, 'label'),
  help: z.string('help').trim().max(500, 'help').optional(),
  required: z.boolean().default(false),
  showIf: showConditionSchema.optional(),
  mapsTo: formMappingSchema.optional(),
};
const options = z.array(formOptionSchema, 'options').min(2, 'options').max(30, 'options');

export const questionSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ ...base, type: z.literal('single'), options }),
    z.object({
      ...base,
      type: z.literal('multiple'),
      options,
      maxSelected: z.number().int('maxSelected').min(1, 'maxSelected').optional(),
    }),
    z.object({ ...base, type: z.literal('yes_no') }),
    z.object({
      ...base,
      type: z.literal('number'),
      unit: z.string('unit').trim().max(10, 'unit').optional(),
      min: bound.optional(),
      max: bound.optional(),
      /** whole numbers only (days, times a week); false for a temperature */
      integer: z.boolean().default(true),
    }),
    z.object({
      ...base,
      type: z.literal('text'),
      maxLength: z.number().int('maxLength').min(1, 'maxLength').max(2000, 'maxLength').default(200),
    }),
    z.object({
      ...base,
      type: z.literal('date'),
      /** a date that has happened (the last vaccination): not after the day the form is answered */
      notFuture: z.boolean().optional(),
    }),
  ],
  'type',
);
export type Question = z.infer<typeof questionSchema>;
export type QuestionInput = z.input<typeof questionSchema>;

export const formDefinitionSchema = z.object(
  {
    title: z.string('title').trim().min(1, 'title').max(100, 'title'),
    /** 1, 2, 3 …: a published version never changes; an edit is the next version */
    version: z.number('version').int('version').min(1, 'version'),
    description: z.string().trim().max(1000).optional(),
    questions: z.array(questionSchema, 'questions').min(1, 'questions').max(100, 'questions'),
  },
  'form',
);
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
export type FormDefinitionInput = z.input<typeof formDefinitionSchema>;

/** An answer: an option value, the options chosen, yes/no, a number, a text, a date 'YYYY-MM-DD'. */
export const answerValueSchema = z.union([
  z.string().max(4000),
  z.array(z.string().max(40)).max(30),
  z.boolean(),
  z.number(),
  z.null(),
]);
export type AnswerValue = z.infer<typeof answerValueSchema>;
export const formAnswersSchema = z.record(z.string().max(40), answerValueSchema);
export type FormAnswers = z.infer<typeof formAnswersSchema>;

/** What a carer sends: the outcome, and for a refusal part-way through, the question it came at. */
export const formSubmissionSchema = z.object({
  outcome: z.enum(formOutcomes),
  refusedAt: key.optional(),
  answers: formAnswersSchema.default({}),
});
export type FormSubmission = z.infer<typeof formSubmissionSchema>;

/** A problem of a definition or of answers: the question it concerns (null: the form), the field path. */
export interface FormProblem {
  question: string | null;
  field: string;
  zh: string;
  en: string;
}

/** '第3题“近7天有哪些症状”' — how an office names a question. */
export function questionName(q: { label?: unknown } | undefined, index: number): { zh: string; en: string } {
  const label = typeof q?.label === 'string' && q.label.trim() ? q.label.trim() : '';
  return {
    zh: label ? `第${index + 1}题“${label}”` : `第${index + 1}题`,
    en: label ? `question ${index + 1} “${label}”` : `question ${index + 1}`,
  };
}

const isEmpty = (v: AnswerValue | undefined): boolean =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && !v.length);

function holds(c: ShowCondition, v: AnswerValue | undefined): boolean {
  if (isEmpty(v)) return false;
  switch (c.op) {
    case 'equals':
      return Array.isArray(v) ? v.includes(c.value as string) : v === c.value;
    case 'one_of':
      return Array.isArray(v) ? v.some((x) => c.values.includes(x)) : c.values.includes(v as string);
    default: {
      if (typeof v !== 'number') return false;
      if (c.op === 'gt') return v > c.value;
      if (c.op === 'gte') return v >= c.value;
      if (c.op === 'lt') return v < c.value;
      return v <= c.value;
    }
  }
}

/**
 * The questions shown for these answers, in order. An answer to a hidden question counts as no answer,
 * so a question that depends on a hidden one is hidden too.
 */
export function visibleQuestions(def: FormDefinition, answers: FormAnswers): Question[] {
  const shown = new Set<string>();
  const out: Question[] = [];
  for (const q of def.questions) {
    const c = q.showIf;
    if (c && !(shown.has(c.question) && holds(c, answers[c.question]))) continue;
    shown.add(q.id);
    out.push(q);
  }
  return out;
}

// ---- definitions ----

type Named = { zh: string; en: string };
const problem = (question: string | null, field: string, name: Named | null, m: Named): FormProblem => ({
  question,
  field,
  zh: name ? `${name.zh}：${m.zh}` : m.zh,
  en: name ? `${name.en}: ${m.en}` : m.en,
});

function structuralProblems(input: unknown, issues: z.core.$ZodIssue[]): FormProblem[] {
  const raw = (input ?? {}) as { questions?: unknown };
  const qs = Array.isArray(raw.questions) ? (raw.questions as Record<string, unknown>[]) : [];
  const seen = new Set<string>();
  const out: FormProblem[] = [];
  for (const issue of issues) {
    const m = (messages as Record<string, Named>)[issue.message] ?? {
      zh: '格式不正确',
      en: 'Invalid value',
    };
    const [head, index] = issue.path;
    const inQuestion = head === 'questions' && typeof index === 'number';
    const q = inQuestion ? qs[index] : undefined;
    const id = typeof q?.id === 'string' ? q.id : null;
    const field = issue.path.join('.');
    if (seen.has(`${field}|${m.zh}`)) continue;
    seen.add(`${field}|${m.zh}`);
    out.push(problem(id, field, inQuestion ? questionName(q, index) : null, m));
  }
  return out;
}

function conditionProblems(def: FormDefinition, i: number): FormProblem[] {
  const q = def.questions[i]!;
  const c = q.showIf;
  if (!c) return [];
  const name = questionName(q, i);
  const at = (m: Named, f = 'question') => [problem(q.id, `questions.${i}.showIf.${f}`, name, m)];
  const j = def.questions.findIndex((x) => x.id === c.question);
  if (j < 0)
    return at({
      zh: `显示条件引用的题目“${c.question}”不存在`,
      en: `the show condition refers to “${c.question}”, which does not exist`,
    });
  if (j >= i) {
    const ref = questionName(def.questions[j], j);
    return at({
      zh: `显示条件只能引用前面的题目，${j === i ? '不能引用本题' : `${ref.zh}在本题之后`}`,
      en: `a show condition may only refer to an earlier question, not ${j === i ? 'itself' : ref.en}`,
    });
  }
  const ref = def.questions[j]!;
  const refName = questionName(ref, j);
  const optionValues = 'options' in ref ? ref.options.map((o) => o.value) : [];
  const wrongOp = () =>
    at(
      {
        zh: `${refName.zh}是${questionTypeNames[ref.type].zh}题，不能用这种条件`,
        en: `${refName.en} is a ${questionTypeNames[ref.type].en.toLowerCase()} question: this condition does not apply`,
      },
      'op',
    );
  const missing = (v: unknown, f: string) =>
    at(
      {
        zh: `显示条件的选项“${String(v)}”在${refName.zh}中不存在`,
        en: `the show condition's option “${String(v)}” is not an option of ${refName.en}`,
      },
      f,
    );
  if (c.op === 'equals') {
    if (ref.type === 'single' || ref.type === 'multiple') {
      return typeof c.value === 'string' && optionValues.includes(c.value) ? [] : missing(c.value, 'value');
    }
    if (ref.type === 'yes_no' && typeof c.value !== 'boolean')
      return at({ zh: '显示条件应为“是”或“否”', en: 'the show condition must be yes or no' }, 'value');
    if (ref.type === 'number' && typeof c.value !== 'number')
      return at({ zh: '显示条件应为数字', en: 'the show condition must be a number' }, 'value');
    return ref.type === 'text' || ref.type === 'date' ? wrongOp() : [];
  }
  if (c.op === 'one_of') {
    if (ref.type !== 'single' && ref.type !== 'multiple') return wrongOp();
    const bad = c.values.find((v) => !optionValues.includes(v));
    return bad === undefined ? [] : missing(bad, 'values');
  }
  return ref.type === 'number' ? [] : wrongOp();
}

/** The registry value an option proposes ('独居'; a condition's name), or undefined. */
function mappedOption(q: Question, value: string): string | undefined {
  if (!q.mapsTo || !('options' in q)) return undefined;
  const o = q.options.find((x) => x.value === value);
  if (!o) return undefined;
  // a mapping that lists values proposes for those options only ('其他' proposes nothing)
  if (q.mapsTo.values) return q.mapsTo.values[value];
  if (q.mapsTo.field === 'elder.livingSituation')
    return (livingSituations as readonly string[]).includes(o.label) ? o.label : undefined;
  return o.exclusive ? undefined : o.label;
}

function questionProblems(def: FormDefinition, i: number): FormProblem[] {
  const q = def.questions[i]!;
  const name = questionName(q, i);
  const out: FormProblem[] = [];
  const add = (f: string, m: Named) => out.push(problem(q.id, `questions.${i}${f}`, name, m));
  const first = def.questions.findIndex((x) => x.id === q.id);
  if (first < i) {
    const other = questionName(def.questions[first], first);
    add('.id', { zh: `编号“${q.id}”与${other.zh}重复`, en: `id “${q.id}” is also used by ${other.en}` });
  }
  if ('options' in q) {
    q.options.forEach((o, k) => {
      if (q.options.findIndex((x) => x.value === o.value) < k)
        add(`.options.${k}.value`, { zh: `选项编号“${o.value}”重复`, en: `option id “${o.value}” repeats` });
      if (q.options.findIndex((x) => x.label === o.label) < k)
        add(`.options.${k}.label`, { zh: `选项“${o.label}”重复`, en: `option “${o.label}” repeats` });
      if (o.exclusive && q.type === 'single')
        add(`.options.${k}.exclusive`, {
          zh: `单选题的选项“${o.label}”不需要设为互斥`,
          en: `option “${o.label}” of a single choice need not be exclusive`,
        });
    });
    if (q.type === 'multiple' && q.maxSelected !== undefined && q.maxSelected > q.options.length)
      add('.maxSelected', {
        zh: `最多可选 ${q.maxSelected} 项，但只有 ${q.options.length} 个选项`,
        en: `at most ${q.maxSelected} may be chosen but there are ${q.options.length} options`,
      });
  }
  if (q.type === 'number' && q.min !== undefined && q.max !== undefined && q.min > q.max)
    add('.min', { zh: '最小值不能大于最大值', en: 'the minimum is above the maximum' });
  out.push(...conditionProblems(def, i));
  const m = q.mapsTo;
  if (m) {
    const target = formTargets[m.field];
    if (!(target.types as readonly QuestionType[]).includes(q.type)) {
      const types = target.types.map((t) => questionTypeNames[t]);
      add('.mapsTo.field', {
        zh: `“${target.zh}”只能对应${types.map((t) => t.zh).join('或')}题`,
        en: `“${target.en}” can only be answered by a ${types.map((t) => t.en.toLowerCase()).join(' or ')} question`,
      });
    } else if ('options' in q) {
      for (const [value, to] of Object.entries(m.values ?? {})) {
        const o = q.options.find((x) => x.value === value);
        if (!o)
          add(`.mapsTo.values.${value}`, {
            zh: `对应关系中的选项“${value}”不存在`,
            en: `the mapping names option “${value}”, which does not exist`,
          });
        else if (m.field === 'elder.livingSituation' && !(livingSituations as readonly string[]).includes(to))
          add(`.mapsTo.values.${value}`, {
            zh: `选项“${o.label}”对应的居住情况“${to}”不正确，应为 ${livingSituations.join('、')} 之一`,
            en: `option “${o.label}” maps to “${to}”, which is not a living situation`,
          });
      }
      if (!q.options.some((o) => mappedOption(q, o.value) !== undefined))
        add('.mapsTo.values', {
          zh: `没有任何选项对应到“${target.zh}”`,
          en: `no option maps to “${target.en}”`,
        });
    } else if (m.values) {
      add('.mapsTo.values', {
        zh: `${questionTypeNames[q.type].zh}题不需要选项对应关系`,
        en: 'only choice questions map options',
      });
    }
  }
  return out;
}

/**
 * Every problem of a form definition, each naming its question ('第3题“…”：…'); none means valid.
 * A definition that is not even shaped like a form reports its structural problems only.
 */
export function validateFormDefinition(input: unknown): FormProblem[] {
  const parsed = parseFormDefinition(input);
  return parsed.ok ? [] : parsed.problems;
}

export function parseFormDefinition(
  input: unknown,
): { ok: true; form: FormDefinition } | { ok: false; problems: FormProblem[] } {
  const r = formDefinitionSchema.safeParse(input);
  if (!r.success) return { ok: false, problems: structuralProblems(input, r.error.issues) };
  const problems = r.data.questions.flatMap((_, i) => questionProblems(r.data, i));
  return problems.length ? { ok: false, problems } : { ok: true, form: r.data };
}

// ---- answers ----

const chineseDate = (s: string) =>
  `${Number(s.slice(0, 4))}年${Number(s.slice(5, 7))}月${Number(s.slice(8, 10))}日`;
function realDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface AnswerOptions {
  outcome?: FormOutcome;
  /** a refusal part-way through: this question and those after it were not asked */
  refusedAt?: string;
  /** the day the form is answered, 'YYYY-MM-DD' (Asia/Shanghai), for dates that must not be in the future */
  today?: string;
}

/** The problems of one visible, answered question's value. */
function valueProblems(q: Question, v: AnswerValue, today?: string): Named[] {
  const label = (x: string) => ('options' in q ? q.options.find((o) => o.value === x)?.label : undefined);
  const unknown = (x: string): Named => ({ zh: `选项“${x}”不存在`, en: `there is no option “${x}”` });
  switch (q.type) {
    case 'single':
      if (typeof v !== 'string') return [{ zh: '应选择一个选项', en: 'choose one option' }];
      return label(v) === undefined ? [unknown(v)] : [];
    case 'multiple': {
      if (!Array.isArray(v)) return [{ zh: '应选择一个或多个选项', en: 'choose one or more options' }];
      const out: Named[] = v.filter((x) => label(x) === undefined).map(unknown);
      if (new Set(v).size < v.length) out.push({ zh: '选项重复', en: 'an option is chosen twice' });
      const alone = q.options.find((o) => o.exclusive && v.includes(o.value));
      if (alone && v.length > 1)
        out.push({
          zh: `“${alone.label}”不能与其他选项同时选择`,
          en: `“${alone.label}” cannot be chosen with another option`,
        });
      if (q.maxSelected !== undefined && v.length > q.maxSelected)
        out.push({ zh: `最多选择 ${q.maxSelected} 项`, en: `choose at most ${q.maxSelected}` });
      return out;
    }
    case 'yes_no':
      return typeof v === 'boolean' ? [] : [{ zh: '应回答“是”或“否”', en: 'answer yes or no' }];
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return [{ zh: '应填写数字', en: 'enter a number' }];
      if (q.integer && !Number.isInteger(v)) return [{ zh: '应为整数', en: 'enter a whole number' }];
      const u = q.unit ?? '';
      const { min, max } = q;
      if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
        if (min !== undefined && max !== undefined)
          return [
            { zh: `应在 ${min} 到 ${max}${u} 之间`, en: `must be between ${min} and ${max} ${u}`.trim() },
          ];
        if (min !== undefined)
          return [{ zh: `不能小于 ${min}${u}`, en: `must be at least ${min} ${u}`.trim() }];
        return [{ zh: `不能大于 ${max}${u}`, en: `must be at most ${max} ${u}`.trim() }];
      }
      return [];
    }
    case 'text':
      if (typeof v !== 'string') return [{ zh: '应填写文字', en: 'enter a text' }];
      return [...v.trim()].length > q.maxLength
        ? [{ zh: `不超过 ${q.maxLength} 字`, en: `at most ${q.maxLength} characters` }]
        : [];
    case 'date':
      if (typeof v !== 'string' || !realDate(v))
        return [{ zh: '请选择正确的日期', en: 'enter a valid date (YYYY-MM-DD)' }];
      if (q.notFuture && today && v > today)
        return [{ zh: `不能晚于今天（${chineseDate(today)}）`, en: `cannot be after today (${today})` }];
      return [];
  }
}

/** The visible questions that were asked: all of them, none when not reached, those before a refusal. */
function askedOf(visible: Question[], opts: AnswerOptions): Question[] {
  if (opts.outcome === 'not_reached') return [];
  if (opts.outcome === 'refused') {
    const at = visible.findIndex((q) => q.id === opts.refusedAt);
    return at < 0 ? [] : visible.slice(0, at);
  }
  return visible;
}

/** The questions asked of this elder: shown by the answers, and before the form ended. */
export function askedQuestions(
  def: FormDefinition,
  answers: FormAnswers,
  opts: AnswerOptions = {},
): Question[] {
  return askedOf(visibleQuestions(def, answers), opts);
}

/**
 * Per-question problems of a set of answers, each naming the question: an answer to a question the form
 * does not have, to a question hidden by an earlier answer, or after the form ended (not reached,
 * refused); a required question left empty (only when answered to the end); a value of the wrong kind,
 * an option that does not exist, a number out of range.
 */
export function validateAnswers(
  def: FormDefinition,
  answers: FormAnswers,
  opts: AnswerOptions = {},
): FormProblem[] {
  const out: FormProblem[] = [];
  const index = new Map(def.questions.map((q, i) => [q.id, i]));
  const visible = visibleQuestions(def, answers);
  const shown = new Set(visible.map((q) => q.id));
  if (opts.outcome === 'refused' && opts.refusedAt !== undefined && !shown.has(opts.refusedAt))
    out.push({
      question: opts.refusedAt,
      field: 'refusedAt',
      zh: `拒绝时所在的题目“${opts.refusedAt}”不在表单中或未显示`,
      en: `the refusal names “${opts.refusedAt}”, which is not a question shown`,
    });
  const asked = new Set(askedOf(visible, opts).map((q) => q.id));
  for (const [id, v] of Object.entries(answers)) {
    const i = index.get(id);
    if (i === undefined) {
      out.push({
        question: id,
        field: `answers.${id}`,
        zh: `表单中没有题目“${id}”`,
        en: `the form has no question “${id}”`,
      });
      continue;
    }
    if (isEmpty(v) || asked.has(id)) continue;
    const why: Named = !shown.has(id)
      ? { zh: '按前面的回答本题不显示，不应作答', en: 'hidden by an earlier answer: leave it empty' }
      : opts.outcome === 'not_reached'
        ? { zh: '未联系上时不应填写答案', en: 'not reached: no answers' }
        : { zh: '拒绝后的题目不应有答案', en: 'refused before this question: leave it empty' };
    out.push(problem(id, `answers.${id}`, questionName(def.questions[i], i), why));
  }
  for (const q of visible) {
    if (!asked.has(q.id)) continue;
    const i = index.get(q.id)!;
    const v = answers[q.id];
    const name = questionName(q, i);
    if (isEmpty(v)) {
      if (q.required && (opts.outcome ?? 'answered') === 'answered')
        out.push(problem(q.id, `answers.${q.id}`, name, { zh: '必答题未作答', en: 'required' }));
      continue;
    }
    for (const m of valueProblems(q, v as AnswerValue, opts.today))
      out.push(problem(q.id, `answers.${q.id}`, name, m));
  }
  // in the order of the form, as the carer reads it; an unknown question last
  const rank = (p: FormProblem) => (p.field === 'refusedAt' ? -1 : (index.get(p.question ?? '') ?? Infinity));
  return out.sort((a, b) => rank(a) - rank(b));
}

/** The problems of a whole submission (outcome, the question of a refusal, the answers). */
export function validateSubmission(def: FormDefinition, s: FormSubmission, today?: string): FormProblem[] {
  return validateAnswers(def, s.answers, { outcome: s.outcome, refusedAt: s.refusedAt, today });
}

/**
 * The answers kept: those to questions shown and asked, not empty, texts trimmed. An answer to a question
 * the form does not have is kept, so that validation still names it.
 */
export function normaliseAnswers(
  def: FormDefinition,
  answers: FormAnswers,
  opts: AnswerOptions = {},
): FormAnswers {
  const known = new Set(def.questions.map((q) => q.id));
  const asked = askedOf(visibleQuestions(def, answers), opts);
  const out: FormAnswers = {};
  for (const q of asked) {
    const v = answers[q.id];
    if (isEmpty(v)) continue;
    out[q.id] = typeof v === 'string' ? v.trim() : (v as AnswerValue);
  }
  for (const [id, v] of Object.entries(answers)) if (!known.has(id)) out[id] = v;
  return out;
}

export interface ProposedChange {
  question: string;
  field: FormTarget;
  /** '独居'; true / false; the names of the conditions; a medication note */
  value: string | boolean | string[];
}

/** The registry and health-ledger changes the answers propose (for the coordinator to accept). */
export function proposedChanges(
  def: FormDefinition,
  answers: FormAnswers,
  opts: AnswerOptions = {},
): ProposedChange[] {
  const kept = normaliseAnswers(def, answers, opts);
  const out: ProposedChange[] = [];
  for (const q of def.questions) {
    const v = kept[q.id];
    if (!q.mapsTo || v === undefined) continue;
    const field = q.mapsTo.field;
    if (field === 'health.conditions') {
      const chosen = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
      const names = chosen.map((x) => mappedOption(q, x)).filter((x): x is string => x !== undefined);
      if (names.length) out.push({ question: q.id, field, value: [...new Set(names)] });
    } else if (field === 'elder.livingSituation') {
      const to = typeof v === 'string' ? mappedOption(q, v) : undefined;
      if (to !== undefined) out.push({ question: q.id, field, value: to });
    } else if (q.type === 'yes_no' && typeof v === 'boolean') {
      out.push({ question: q.id, field, value: v });
    } else if (q.type === 'text' && typeof v === 'string') {
      out.push({ question: q.id, field, value: v });
    }
  }
  return out;
}

// ---- versions ----

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What an edit changes, in words, for the page that publishes a new version. */
export function formChanges(prev: FormDefinition, next: FormDefinition): Named[] {
  const out: Named[] = [];
  if (prev.title !== next.title)
    out.push({ zh: `标题改为“${next.title}”`, en: `title changed to “${next.title}”` });
  if ((prev.description ?? '') !== (next.description ?? ''))
    out.push({ zh: '说明已修改', en: 'description changed' });
  const before = new Map(prev.questions.map((q) => [q.id, q]));
  const after = new Set(next.questions.map((q) => q.id));
  next.questions.forEach((q, i) => {
    const old = before.get(q.id);
    const name = questionName(q, i);
    if (!old) out.push({ zh: `新增${name.zh}`, en: `added ${name.en}` });
    else if (!sameJson(old, q)) out.push({ zh: `修改${name.zh}`, en: `changed ${name.en}` });
  });
  const moved =
    prev.questions
      .filter((q) => after.has(q.id))
      .map((q) => q.id)
      .join() !==
    next.questions
      .filter((q) => before.has(q.id))
      .map((q) => q.id)
      .join();
  if (moved) out.push({ zh: '题目顺序已调整', en: 'questions reordered' });
  prev.questions.forEach((q, i) => {
    if (!after.has(q.id))
      out.push({ zh: `删除原${questionName(q, i).zh}`, en: `removed former ${questionName(q, i).en}` });
  });
  return out;
}

/**
 * A new version of a published form: numbered next, different from it, and every question it keeps
 * (same id) keeps its type, so results compare across versions question by question. A question that
 * asks something else gets a new id.
 */
export function checkNewVersion(prev: FormDefinition, next: FormDefinition): FormProblem[] {
  const out: FormProblem[] = [];
  if (next.version !== prev.version + 1)
    out.push({
      question: null,
      field: 'version',
      zh: `新版本号应为 ${prev.version + 1}（当前已发布第 ${prev.version} 版）`,
      en: `the new version must be ${prev.version + 1} (version ${prev.version} is published)`,
    });
  else if (!formChanges(prev, next).length)
    out.push({
      question: null,
      field: 'questions',
      zh: `内容与第 ${prev.version} 版相同，不需要新版本`,
      en: `nothing differs from version ${prev.version}`,
    });
  const before = new Map(prev.questions.map((q) => [q.id, q]));
  next.questions.forEach((q, i) => {
    const old = before.get(q.id);
    if (!old || old.type === q.type) return;
    out.push(
      problem(q.id, `questions.${i}.type`, questionName(q, i), {
        zh: `题型不能从${questionTypeNames[old.type].zh}改为${questionTypeNames[q.type].zh}，请作为新题目添加`,
        en: `its type cannot change from ${questionTypeNames[old.type].en.toLowerCase()} to ${questionTypeNames[q.type].en.toLowerCase()}: add it as a new question`,
      }),
    );
  });
  return out;
}
