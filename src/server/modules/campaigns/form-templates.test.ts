import { describe, expect, it } from 'vitest';
import {
  type FormAnswers,
  type FormDefinition,
  proposedChanges,
  type ShowCondition,
  validateAnswers,
  validateFormDefinition,
  visibleQuestions,
} from '../../../shared/forms.ts';
import { formTemplateInputs, formTemplates } from './form-templates.ts';

const template = (key: string): FormDefinition => formTemplates.find((t) => t.key === key)!.form;
const shown = (f: FormDefinition, a: FormAnswers) => visibleQuestions(f, a).map((q) => q.id);
/** Answers that meet a condition, and the conditions above the question it refers to. */
function meeting(form: FormDefinition, c: ShowCondition): FormAnswers {
  const ref = form.questions.find((x) => x.id === c.question)!;
  const v =
    c.op === 'one_of'
      ? c.values[0]!
      : c.op === 'equals'
        ? c.value
        : c.op[0] === 'g'
          ? c.value + 1
          : c.value - 1;
  return {
    ...(ref.showIf ? meeting(form, ref.showIf) : {}),
    [ref.id]: ref.type === 'multiple' ? [v as string] : v,
  };
}
const zh = (f: FormDefinition, a: FormAnswers) =>
  validateAnswers(f, a, { today: '2026-12-04' }).map((p) => p.zh);

describe('form templates', () => {
  it('the three templates the issue names, each a valid version 1', () => {
    expect(formTemplates.map((t) => [t.key, t.form.title, t.form.version])).toEqual([
      ['urgent_health', '紧急健康情况统计', 1],
      ['holiday_safety', '节前安全排查', 1],
      ['needs_survey', '需求调查', 1],
    ]);
    for (const input of Object.values(formTemplateInputs)) expect(validateFormDefinition(input)).toEqual([]);
  });

  it('every show condition can be met: no question is unreachable', () => {
    for (const { form } of formTemplates) {
      for (const q of form.questions) {
        if (q.showIf)
          expect(shown(form, meeting(form, q.showIf)), `${form.title} · ${q.label}`).toContain(q.id);
      }
    }
  });

  describe('紧急健康情况统计', () => {
    const f = template('urgent_health');
    const well: FormAnswers = {
      health_now: 'good',
      symptoms: ['none'],
      chronic_conditions: ['none'],
      long_term_medication: false,
      vaccination: 'booster',
      living_situation: 'with_children',
      needs: ['none'],
      urgent: false,
    };

    it('a well elder answers 8 questions and no follow-up shows', () => {
      expect(zh(f, well)).toEqual([]);
      expect(shown(f, well)).toEqual([
        ...Object.keys(well).slice(0, 5),
        'last_vaccination',
        'living_situation',
        'needs',
        'urgent',
      ]);
    });

    it('fever asks the temperature and whether a doctor was seen; medication asks how many days are left', () => {
      const ill = { ...well, symptoms: ['fever', 'cough'], long_term_medication: true };
      expect(zh(f, ill)).toEqual([
        '第5题“是否已就医或咨询医生”：必答题未作答',
        '第8题“家中药品还够服用多少天”：必答题未作答',
      ]);
      expect(zh(f, { ...ill, seen_doctor: false, medication_days: 3, max_temperature: 38.7 })).toEqual([]);
      expect(zh(f, { ...ill, seen_doctor: false, medication_days: 3, max_temperature: 45 })).toEqual([
        '第3题“最高体温”：应在 35 到 43℃ 之间',
      ]);
      expect(zh(f, { ...well, symptoms: ['fever', 'none'] })).toEqual([
        '第2题“近7天有无以下症状”：“无以上症状”不能与其他选项同时选择',
        '第5题“是否已就医或咨询医生”：必答题未作答',
      ]);
    });

    it('the chronic conditions, medication and living situation become proposed ledger changes', () => {
      const a = {
        ...well,
        chronic_conditions: ['hypertension', 'stroke', 'other'],
        long_term_medication: true,
        medication_days: 20,
        medication_names: '苯磺酸氨氯地平片',
        living_situation: 'couple',
      };
      expect(proposedChanges(f, a)).toEqual([
        { question: 'chronic_conditions', field: 'health.conditions', value: ['高血压', '脑卒中'] },
        { question: 'medication_names', field: 'health.medicationNotes', value: '苯磺酸氨氯地平片' },
        { question: 'living_situation', field: 'elder.livingSituation', value: '空巢' },
      ]);
    });

    it('an unvaccinated elder is asked why; a vaccination date is not in the future', () => {
      expect(shown(f, { ...well, vaccination: 'none' })).toContain('not_vaccinated_reason');
      expect(shown(f, { ...well, vaccination: 'none' })).not.toContain('last_vaccination');
      expect(zh(f, { ...well, last_vaccination: '2027-01-01' })).toEqual([
        '第11题“最近一次接种日期”：不能晚于今天（2026年12月4日）',
      ]);
    });
  });

  describe('节前安全排查', () => {
    const f = template('holiday_safety');
    const safe: FormAnswers = {
      water: ['ok'],
      power: ['ok'],
      gas: ['no_gas'],
      heating: 'central',
      room_warm: true,
      food_supply: 'enough',
      visitors: ['children', 'community'],
      emergency_contact_ok: true,
      call_device: 'ok',
    };

    it('a safe home passes; a gas smell, coal heating and short food supplies ask more', () => {
      expect(zh(f, safe)).toEqual([]);
      expect(zh(f, { ...safe, gas: ['smell'], heating: 'coal', food_supply: 'short' })).toEqual([
        '第4题“燃气异味是否已报燃气公司处理”：必答题未作答',
        '第6题“是否安装烟道并保持通风（防一氧化碳中毒）”：必答题未作答',
        '第9题“需要哪些帮助”：必答题未作答',
      ]);
      expect(zh(f, { ...safe, gas: ['ok', 'no_gas'] })).toEqual([
        '第3题“用气安全”：“未发现隐患”不能与其他选项同时选择',
      ]);
      expect(zh(f, { ...safe, visitors: ['nobody', 'children'] })).toEqual([
        '第11题“节日期间谁来看望、陪伴”：“无人看望”不能与其他选项同时选择',
      ]);
    });
  });

  describe('需求调查', () => {
    const f = template('needs_survey');

    it('who cares for an elder who cannot manage alone; meals a week; the budget only when paying', () => {
      const a: FormAnswers = {
        living_situation: 'alone',
        self_care: 'partly',
        services: ['meals', 'company'],
      };
      expect(zh(f, a)).toEqual(['第3题“目前主要由谁照料”：必答题未作答']);
      expect(shown(f, a)).toEqual([
        'living_situation',
        'self_care',
        'carer',
        'hearing',
        'services',
        'meals_per_week',
        'payment',
        'activities',
        'most_urgent',
      ]);
      expect(shown(f, { ...a, payment: 'low_cost' })).toContain('monthly_budget');
      expect(shown(f, { ...a, services: ['company'], payment: 'low_cost' })).not.toContain('monthly_budget');
      expect(zh(f, { ...a, carer: 'nobody', meals_per_week: 30 })).toEqual([
        '第6题“每周需要送餐几次”：应在 1 到 21次 之间',
      ]);
    });

    it('hearing and living situation are proposed for the registry', () => {
      expect(proposedChanges(f, { living_situation: 'alone', hearing: true, self_care: 'full' })).toEqual([
        { question: 'living_situation', field: 'elder.livingSituation', value: '独居' },
        { question: 'hearing', field: 'elder.hearingImpaired', value: true },
      ]);
    });
  });
});
