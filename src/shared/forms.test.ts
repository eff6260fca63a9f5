import { describe, expect, it } from 'vitest';
import {
  checkNewVersion,
  type FormDefinition,
  type FormDefinitionInput,
  formChanges,
  formDefinitionSchema,
  formSubmissionSchema,
  normaliseAnswers,
  parseFormDefinition,
  proposedChanges,
  type QuestionInput,
  validateAnswers,
  validateFormDefinition,
  validateSubmission,
  visibleQuestions,
} from './forms.ts';

const opts = (...pairs: [string, string, boolean?][]) =>
  pairs.map(([value, label, exclusive]) => (exclusive ? { value, label, exclusive } : { value, label }));

/** A small health form: every type, a chain of conditions, two mapped fields. */
const health: FormDefinitionInput = {
  title: '紧急健康情况统计',
  version: 1,
  questions: [
    {
      id: 'symptoms',
      label: '近7天有哪些症状',
      type: 'multiple',
      required: true,
      options: opts(['fever', '发热'], ['cough', '咳嗽'], ['other', '其他'], ['none', '无', true]),
    },
    {
      id: 'max_temp',
      label: '最高体温',
      type: 'number',
      unit: '℃',
      min: 35,
      max: 43,
      integer: false,
      required: true,
      showIf: { question: 'symptoms', op: 'equals', value: 'fever' },
    },
    {
      id: 'saw_doctor',
      label: '是否已就医',
      type: 'yes_no',
      showIf: { question: 'max_temp', op: 'gte', value: 38.5 },
    },
    {
      id: 'other_symptom',
      label: '其他症状',
      type: 'text',
      maxLength: 10,
      showIf: { question: 'symptoms', op: 'one_of', values: ['other'] },
    },
    { id: 'daily_meds', label: '是否需要长期服药', type: 'yes_no', required: true },
    {
      id: 'med_days',
      label: '现有药品还能服用多少天',
      type: 'number',
      unit: '天',
      min: 0,
      max: 365,
      required: true,
      showIf: { question: 'daily_meds', op: 'equals', value: true },
    },
    {
      id: 'living',
      label: '目前居住情况',
      type: 'single',
      options: opts(['alone', '独居'], ['couple', '与配偶同住'], ['other', '其他']),
      mapsTo: { field: 'elder.livingSituation', values: { alone: '独居', couple: '空巢' } },
    },
    {
      id: 'chronic',
      label: '患有哪些慢性病',
      type: 'multiple',
      options: opts(['bp', '高血压'], ['dm', '糖尿病'], ['none', '无', true]),
      mapsTo: { field: 'health.conditions' },
      maxSelected: 2,
    },
    { id: 'last_dose', label: '最近一次接种日期', type: 'date', notFuture: true },
  ],
};
const form = formDefinitionSchema.parse(health);

/** The definition with one question replaced (by id) or appended. */
function withQuestion(q: QuestionInput, base: FormDefinitionInput = health): unknown {
  const has = base.questions.some((x) => x.id === q.id);
  return {
    ...base,
    questions: has ? base.questions.map((x) => (x.id === q.id ? q : x)) : [...base.questions, q],
  };
}
const zhOf = (ps: { zh: string }[]) => ps.map((p) => p.zh);

describe('form definitions', () => {
  it('a well-formed form has no problems, and defaults are filled in', () => {
    expect(validateFormDefinition(health)).toEqual([]);
    const parsed = parseFormDefinition(health);
    expect(parsed.ok && parsed.form.questions.find((q) => q.id === 'daily_meds')?.required).toBe(true);
    expect(parsed.ok && parsed.form.questions.find((q) => q.id === 'living')?.required).toBe(false);
  });

  it('structural problems name the question by number and text, in Chinese and English', () => {
    const ps = validateFormDefinition({
      title: ' ',
      version: 0,
      questions: [
        { id: 'a', label: '年龄', type: 'slider' },
        { id: 'B', label: '', type: 'single', options: [{ value: 'x', label: '是' }] },
        { id: 'c', label: '体温', type: 'number', min: 'low' },
        { id: 'd', label: '说明', type: 'text', maxLength: 5000 },
      ],
    });
    expect(zhOf(ps)).toEqual([
      '表单标题不能为空，不超过 100 字',
      '版本号应为正整数',
      '第1题“年龄”：题型不正确',
      '第2题：编号只能用小写字母、数字和下划线，以字母开头，不超过 40 个字符',
      '第2题：题目不能为空，不超过 200 字',
      '第2题：选择题至少要有 2 个选项，最多 30 个',
      '第3题“体温”：取值范围应为数字',
      '第4题“说明”：字数上限应为 1 到 2000',
    ]);
    expect(ps[2]).toMatchObject({ question: 'a', field: 'questions.0.type' });
    expect(ps[2]!.en).toBe('question 1 “年龄”: Unknown question type');
    expect(zhOf(validateFormDefinition(null))).toEqual(['表单定义格式不正确']);
    expect(zhOf(validateFormDefinition({ title: 't', version: 1, questions: [] }))).toEqual([
      '表单至少要有 1 道题，最多 100 道',
    ]);
  });

  it('question ids and options are unique within their scope', () => {
    const ps = validateFormDefinition(
      withQuestion({
        id: 'living',
        label: '目前居住情况',
        type: 'multiple',
        options: opts(['a', '独居'], ['a', '独居2'], ['b', '独居']),
      }),
    );
    expect(zhOf(ps)).toEqual(['第7题“目前居住情况”：选项编号“a”重复', '第7题“目前居住情况”：选项“独居”重复']);
    const dup = {
      ...health,
      questions: [...health.questions, { ...health.questions[4]!, label: '再问一次' }],
    };
    expect(zhOf(validateFormDefinition(dup))).toEqual([
      '第10题“再问一次”：编号“daily_meds”与第5题“是否需要长期服药”重复',
    ]);
  });

  it('a number range must be in order; a selection limit must fit the options', () => {
    expect(
      zhOf(validateFormDefinition(withQuestion({ id: 'n', label: '天数', type: 'number', min: 10, max: 3 }))),
    ).toEqual(['第10题“天数”：最小值不能大于最大值']);
    expect(
      zhOf(
        validateFormDefinition(
          withQuestion({
            id: 'm',
            label: '需求',
            type: 'multiple',
            options: opts(['a', '甲'], ['b', '乙']),
            maxSelected: 3,
          }),
        ),
      ),
    ).toEqual(['第10题“需求”：最多可选 3 项，但只有 2 个选项']);
  });

  it('an exclusive option belongs to a multiple choice only', () => {
    const q: QuestionInput = {
      id: 's',
      label: '是否独居',
      type: 'single',
      options: opts(['y', '是'], ['n', '否', true]),
    };
    expect(zhOf(validateFormDefinition(withQuestion(q)))).toEqual([
      '第10题“是否独居”：单选题的选项“否”不需要设为互斥',
    ]);
  });

  describe('show conditions look back only', () => {
    const cond = (showIf: unknown, type: QuestionInput['type'] = 'text') =>
      validateFormDefinition(withQuestion({ id: 'z', label: '追问', type, showIf } as QuestionInput));

    it('refer to an earlier question that exists', () => {
      expect(zhOf(cond({ question: 'nope', op: 'equals', value: 'x' }))).toEqual([
        '第10题“追问”：显示条件引用的题目“nope”不存在',
      ]);
      expect(zhOf(cond({ question: 'z', op: 'equals', value: true }))).toEqual([
        '第10题“追问”：显示条件只能引用前面的题目，不能引用本题',
      ]);
      const later = {
        ...health,
        questions: [
          {
            id: 'first',
            label: '先问',
            type: 'yes_no',
            showIf: { question: 'symptoms', op: 'equals', value: 'fever' },
          },
          ...health.questions,
        ],
      };
      const ps = validateFormDefinition(later);
      expect(zhOf(ps)).toEqual(['第1题“先问”：显示条件只能引用前面的题目，第2题“近7天有哪些症状”在本题之后']);
      expect(ps[0]).toMatchObject({ question: 'first', field: 'questions.0.showIf.question' });
    });

    it('name options that exist', () => {
      expect(zhOf(cond({ question: 'symptoms', op: 'equals', value: 'rash' }))).toEqual([
        '第10题“追问”：显示条件的选项“rash”在第1题“近7天有哪些症状”中不存在',
      ]);
      expect(zhOf(cond({ question: 'living', op: 'one_of', values: ['alone', 'hotel'] }))).toEqual([
        '第10题“追问”：显示条件的选项“hotel”在第7题“目前居住情况”中不存在',
      ]);
    });

    it('fit the type of the question they refer to', () => {
      expect(zhOf(cond({ question: 'daily_meds', op: 'equals', value: 'yes' }))).toEqual([
        '第10题“追问”：显示条件应为“是”或“否”',
      ]);
      expect(zhOf(cond({ question: 'med_days', op: 'equals', value: '3' }))).toEqual([
        '第10题“追问”：显示条件应为数字',
      ]);
      expect(zhOf(cond({ question: 'med_days', op: 'one_of', values: ['a'] }))).toEqual([
        '第10题“追问”：第6题“现有药品还能服用多少天”是数字题，不能用这种条件',
      ]);
      expect(zhOf(cond({ question: 'living', op: 'lt', value: 3 }))).toEqual([
        '第10题“追问”：第7题“目前居住情况”是单选题，不能用这种条件',
      ]);
      expect(zhOf(cond({ question: 'other_symptom', op: 'equals', value: '头痛' }))).toEqual([
        '第10题“追问”：第4题“其他症状”是文字题，不能用这种条件',
      ]);
      expect(cond({ question: 'med_days', op: 'lte', value: 3 })).toEqual([]);
      expect(cond({ question: 'med_days', op: 'equals', value: 0 })).toEqual([]);
    });

    it('an unknown operator is a structural problem', () => {
      expect(zhOf(cond({ question: 'med_days', op: 'between', value: 3 }))).toEqual([
        '第10题“追问”：显示条件不完整',
      ]);
    });
  });

  describe('registry fields (proposed changes)', () => {
    const mapped = (q: Partial<QuestionInput>) =>
      zhOf(validateFormDefinition(withQuestion({ ...health.questions[6]!, ...q } as QuestionInput)));

    it('a field is answered by the question types that fit it', () => {
      expect(
        zhOf(
          validateFormDefinition(
            withQuestion({
              id: 'h',
              label: '听力',
              type: 'text',
              mapsTo: { field: 'elder.hearingImpaired' },
            }),
          ),
        ),
      ).toEqual(['第10题“听力”：“听力障碍”只能对应是/否题']);
      expect(
        mapped({ type: 'yes_no', mapsTo: { field: 'elder.livingSituation' } } as Partial<QuestionInput>),
      ).toEqual(['第7题“目前居住情况”：“居住情况”只能对应单选题']);
    });

    it('living situation: every mapped value is one of the registry codes, and some option maps', () => {
      expect(mapped({ mapsTo: { field: 'elder.livingSituation', values: { couple: '二人世界' } } })).toEqual([
        '第7题“目前居住情况”：选项“与配偶同住”对应的居住情况“二人世界”不正确，应为 独居、空巢、纯老家庭、孤老、留守、与子女同住、机构 之一',
      ]);
      expect(
        mapped({ mapsTo: { field: 'elder.livingSituation', values: { alone: '独居', hotel: '独居' } } }),
      ).toEqual(['第7题“目前居住情况”：对应关系中的选项“hotel”不存在']);
      expect(
        mapped({
          options: opts(['a', '自己住'], ['b', '和老伴住']),
          mapsTo: { field: 'elder.livingSituation' },
        }),
      ).toEqual(['第7题“目前居住情况”：没有任何选项对应到“居住情况”']);
    });
  });
});

describe('visible questions', () => {
  const ids = (answers: Record<string, unknown>) => visibleQuestions(form, answers as never).map((q) => q.id);

  it('a question shows when the earlier answer says so', () => {
    expect(ids({})).toEqual(['symptoms', 'daily_meds', 'living', 'chronic', 'last_dose']);
    expect(ids({ symptoms: ['cough'], daily_meds: true })).toEqual([
      'symptoms',
      'daily_meds',
      'med_days',
      'living',
      'chronic',
      'last_dose',
    ]);
    expect(ids({ symptoms: ['fever', 'other'] })).toContain('other_symptom');
  });

  it('number comparisons, and a chain: hiding a question hides those that depend on it', () => {
    expect(ids({ symptoms: ['fever'], max_temp: 38.5 })).toContain('saw_doctor');
    expect(ids({ symptoms: ['fever'], max_temp: 37.2 })).not.toContain('saw_doctor');
    // the stale temperature of an answer to a now hidden question does not show the follow-up
    expect(ids({ symptoms: ['none'], max_temp: 39 })).not.toContain('saw_doctor');
  });

  it('an empty answer never satisfies a condition', () => {
    expect(ids({ symptoms: [], daily_meds: null })).toEqual(ids({}));
  });
});

describe('answers', () => {
  const ok = { symptoms: ['fever'], max_temp: 38.6, saw_doctor: true, daily_meds: false };
  const check = (answers: Record<string, unknown>, o = {}) =>
    zhOf(validateAnswers(form, answers as never, { today: '2026-12-04', ...o }));

  it('a complete set of answers has no problems', () => {
    expect(check(ok)).toEqual([]);
    expect(check({ ...ok, living: 'alone', chronic: ['bp', 'dm'], last_dose: '2026-10-01' })).toEqual([]);
  });

  it('required questions, only those shown', () => {
    expect(check({})).toEqual([
      '第1题“近7天有哪些症状”：必答题未作答',
      '第5题“是否需要长期服药”：必答题未作答',
    ]);
    expect(check({ symptoms: ['cough'], daily_meds: true, med_days: '' })).toEqual([
      '第6题“现有药品还能服用多少天”：必答题未作答',
    ]);
    const p = validateAnswers(form, { symptoms: ['cough'] });
    expect(p[0]).toMatchObject({
      question: 'daily_meds',
      field: 'answers.daily_meds',
      en: 'question 5 “是否需要长期服药”: required',
    });
  });

  it('numbers: kind, whole numbers, range with the unit', () => {
    expect(check({ ...ok, max_temp: 44 })).toEqual(['第2题“最高体温”：应在 35 到 43℃ 之间']);
    expect(check({ ...ok, saw_doctor: null, max_temp: '39' })).toEqual(['第2题“最高体温”：应填写数字']);
    // a temperature that is not a number shows no follow-up, so the answer to it is out of place too
    expect(check({ ...ok, max_temp: '39' })).toEqual([
      '第2题“最高体温”：应填写数字',
      '第3题“是否已就医”：按前面的回答本题不显示，不应作答',
    ]);
    expect(check({ ...ok, daily_meds: true, med_days: 2.5 })).toEqual([
      '第6题“现有药品还能服用多少天”：应为整数',
    ]);
    expect(check({ ...ok, daily_meds: true, med_days: -1 })).toEqual([
      '第6题“现有药品还能服用多少天”：应在 0 到 365天 之间',
    ]);
    expect(check({ ...ok, daily_meds: true, med_days: 0 })).toEqual([]);
  });

  it('choices: the option exists, an exclusive option stands alone, at most the limit', () => {
    expect(check({ ...ok, living: 'hotel' })).toEqual(['第7题“目前居住情况”：选项“hotel”不存在']);
    expect(check({ ...ok, living: ['alone'] })).toEqual(['第7题“目前居住情况”：应选择一个选项']);
    expect(check({ ...ok, chronic: 'bp' })).toEqual(['第8题“患有哪些慢性病”：应选择一个或多个选项']);
    expect(check({ ...ok, chronic: ['bp', 'none'] })).toEqual([
      '第8题“患有哪些慢性病”：“无”不能与其他选项同时选择',
    ]);
    expect(check({ ...ok, chronic: ['bp', 'bp'] })).toEqual(['第8题“患有哪些慢性病”：选项重复']);
    expect(check({ ...ok, chronic: ['bp', 'dm', 'x'] })).toEqual([
      '第8题“患有哪些慢性病”：选项“x”不存在',
      '第8题“患有哪些慢性病”：最多选择 2 项',
    ]);
  });

  it('yes/no, text and dates', () => {
    expect(check({ ...ok, daily_meds: 'yes' })).toEqual(['第5题“是否需要长期服药”：应回答“是”或“否”']);
    expect(check({ ...ok, symptoms: ['fever', 'other'], other_symptom: '头痛头晕还有点恶心想吐' })).toEqual([
      '第4题“其他症状”：不超过 10 字',
    ]);
    expect(check({ ...ok, symptoms: ['fever', 'other'], other_symptom: '  头痛头晕还有点恶心  ' })).toEqual(
      [],
    );
    expect(check({ ...ok, last_dose: '2026-02-30' })).toEqual(['第9题“最近一次接种日期”：请选择正确的日期']);
    expect(check({ ...ok, last_dose: '2026-12-05' })).toEqual([
      '第9题“最近一次接种日期”：不能晚于今天（2026年12月4日）',
    ]);
    expect(check({ ...ok, last_dose: '2026-12-04' })).toEqual([]);
  });

  it('hidden questions must be empty; unknown questions are named', () => {
    expect(check({ symptoms: ['cough'], max_temp: 39, daily_meds: false })).toEqual([
      '第2题“最高体温”：按前面的回答本题不显示，不应作答',
    ]);
    expect(check({ ...ok, max_temp: 37, saw_doctor: false })).toEqual([
      '第3题“是否已就医”：按前面的回答本题不显示，不应作答',
    ]);
    expect(check({ ...ok, med_days: null })).toEqual([]);
    expect(check({ ...ok, weight: 60 })).toEqual(['表单中没有题目“weight”']);
  });

  describe('built-in endings', () => {
    it('not reached: no answers, nothing required', () => {
      expect(check({}, { outcome: 'not_reached' })).toEqual([]);
      expect(check({ daily_meds: true }, { outcome: 'not_reached' })).toEqual([
        '第5题“是否需要长期服药”：未联系上时不应填写答案',
      ]);
    });

    it('refused part-way: answers before the refusal kept, none from it on, nothing required', () => {
      expect(check({ symptoms: ['cough'] }, { outcome: 'refused', refusedAt: 'daily_meds' })).toEqual([]);
      expect(
        check({ symptoms: ['cough'], living: 'alone' }, { outcome: 'refused', refusedAt: 'daily_meds' }),
      ).toEqual(['第7题“目前居住情况”：拒绝后的题目不应有答案']);
      expect(check({}, { outcome: 'refused' })).toEqual([]);
      expect(check({ symptoms: ['cough'] }, { outcome: 'refused' })).toEqual([
        '第1题“近7天有哪些症状”：拒绝后的题目不应有答案',
      ]);
      expect(check({}, { outcome: 'refused', refusedAt: 'med_days' })).toEqual([
        '拒绝时所在的题目“med_days”不在表单中或未显示',
      ]);
    });

    it('a submission as the carer sends it', () => {
      const s = formSubmissionSchema.parse({
        outcome: 'refused',
        refusedAt: 'living',
        answers: { symptoms: ['none'], daily_meds: false },
      });
      expect(validateSubmission(form, s)).toEqual([]);
      expect(formSubmissionSchema.parse({ outcome: 'not_reached' }).answers).toEqual({});
      expect(formSubmissionSchema.safeParse({ outcome: 'maybe' }).success).toBe(false);
    });
  });

  it('normalising drops answers to hidden questions and after the end, and trims text', () => {
    const stale = {
      symptoms: ['other'],
      max_temp: 39,
      saw_doctor: true,
      other_symptom: ' 头晕 ',
      daily_meds: false,
      living: '',
    };
    expect(normaliseAnswers(form, stale)).toEqual({
      symptoms: ['other'],
      other_symptom: '头晕',
      daily_meds: false,
    });
    expect(validateAnswers(form, normaliseAnswers(form, stale))).toEqual([]);
    expect(normaliseAnswers(form, stale, { outcome: 'refused', refusedAt: 'daily_meds' })).toEqual({
      symptoms: ['other'],
      other_symptom: '头晕',
    });
    expect(normaliseAnswers(form, stale, { outcome: 'not_reached' })).toEqual({});
    // an unknown question is kept so that validation still names it
    expect(normaliseAnswers(form, { weight: 60 })).toEqual({ weight: 60 });
  });

  it('proposed changes: mapped options, labels that are registry codes, exclusive options propose nothing', () => {
    expect(proposedChanges(form, { ...ok, living: 'couple', chronic: ['bp', 'dm'] })).toEqual([
      { question: 'living', field: 'elder.livingSituation', value: '空巢' },
      { question: 'chronic', field: 'health.conditions', value: ['高血压', '糖尿病'] },
    ]);
    expect(proposedChanges(form, { ...ok, living: 'alone', chronic: ['none'] })).toEqual([
      { question: 'living', field: 'elder.livingSituation', value: '独居' },
    ]);
    expect(proposedChanges(form, { ...ok, living: 'other' })).toEqual([]);
    // without a list of values, a living-situation option proposes its text only when it is a registry code
    const byLabel = formDefinitionSchema.parse(
      withQuestion({ ...health.questions[6]!, mapsTo: { field: 'elder.livingSituation' } } as QuestionInput),
    );
    expect(proposedChanges(byLabel, { ...ok, living: 'alone' })).toEqual([
      { question: 'living', field: 'elder.livingSituation', value: '独居' },
    ]);
    expect(proposedChanges(byLabel, { ...ok, living: 'couple' })).toEqual([]);
    expect(
      proposedChanges(form, { ...ok, living: 'alone' }, { outcome: 'refused', refusedAt: 'living' }),
    ).toEqual([]);
  });
});

describe('versions', () => {
  const v2 = (change: (f: FormDefinition) => FormDefinition) => change({ ...form, version: 2 });

  it('an edit is the next version, and differs from the published one', () => {
    const renamed = v2((f) => ({ ...f, title: '紧急健康情况统计（第二轮）' }));
    expect(checkNewVersion(form, renamed)).toEqual([]);
    expect(zhOf(checkNewVersion(form, { ...renamed, version: 3 }))).toEqual([
      '新版本号应为 2（当前已发布第 1 版）',
    ]);
    expect(
      zhOf(
        checkNewVersion(
          form,
          v2((f) => f),
        ),
      ),
    ).toEqual(['内容与第 1 版相同，不需要新版本']);
  });

  it('a question kept keeps its type', () => {
    const changed = v2((f) => ({
      ...f,
      questions: f.questions.map((q) => (q.id === 'daily_meds' ? { ...q, type: 'text', maxLength: 20 } : q)),
    }));
    expect(zhOf(checkNewVersion(form, changed))).toEqual([
      '第5题“是否需要长期服药”：题型不能从是/否改为文字，请作为新题目添加',
    ]);
  });

  it('the changes in words', () => {
    const next = v2((f) => ({
      ...f,
      questions: [
        ...f.questions
          .filter((q) => q.id !== 'last_dose')
          .map((q) => (q.id === 'living' ? { ...q, required: true } : q)),
        { id: 'needs', label: '有哪些需求', type: 'text', maxLength: 200, required: false },
      ],
    }));
    expect(zhOf(formChanges(form, next))).toEqual([
      '修改第7题“目前居住情况”',
      '新增第9题“有哪些需求”',
      '删除原第9题“最近一次接种日期”',
    ]);
    const swapped = v2((f) => ({
      ...f,
      questions: [f.questions[4]!, ...f.questions.filter((_, i) => i !== 4)],
    }));
    expect(zhOf(formChanges(form, swapped))).toEqual(['题目顺序已调整']);
  });
});
