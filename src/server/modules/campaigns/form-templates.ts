import {
  type FormDefinition,
  type FormDefinitionInput,
  formDefinitionSchema,
} from '../../../shared/forms.ts';

/**
 * The forms an office starts from (issue 14), worded as the seeds' offices ask: the retiree office's
 * 《关于做好离退休教职工健康情况统计的紧急通知》 (身体情况、用药、疫苗接种、就医购药就餐的急难愁盼),
 * the New Year check of a street before the holidays (用电、用气、用水安全，寒潮，生活保障，谁来看望), and
 * the needs survey of 八清楚's 当前需求 and the 四就近 services. Each is version 1; an office copies one,
 * edits it and publishes its own versions.
 */

type Opt = [value: string, label: string, exclusive?: true];
const o = (...list: Opt[]) =>
  list.map(([value, label, exclusive]) => (exclusive ? { value, label, exclusive } : { value, label }));

const livingSituation = {
  id: 'living_situation',
  label: '目前居住情况',
  type: 'single',
  required: true,
  options: o(
    ['alone', '独居'],
    ['couple', '与老伴同住（子女不在身边）'],
    ['elders_only', '与其他老人同住（纯老家庭）'],
    ['with_children', '与子女同住'],
    ['institution', '住养老机构'],
    ['other', '其他'],
  ),
  mapsTo: {
    field: 'elder.livingSituation',
    values: {
      alone: '独居',
      couple: '空巢',
      elders_only: '纯老家庭',
      with_children: '与子女同住',
      institution: '机构',
    },
  },
} as const satisfies FormDefinitionInput['questions'][number];

const urgentHealth: FormDefinitionInput = {
  title: '紧急健康情况统计',
  version: 1,
  description: '逐一联系每位老同志，了解身体情况、用药和疫苗接种情况及当前需求；急需就医、配药的当即上报。',
  questions: [
    {
      id: 'health_now',
      label: '目前身体情况',
      type: 'single',
      required: true,
      options: o(['good', '良好'], ['fair', '一般'], ['poor', '较差'], ['in_hospital', '正在住院']),
    },
    {
      id: 'symptoms',
      label: '近7天有无以下症状',
      type: 'multiple',
      required: true,
      options: o(
        ['fever', '发热'],
        ['cough', '咳嗽、咽痛'],
        ['breath', '胸闷、气短'],
        ['fatigue', '乏力、食欲差'],
        ['diarrhoea', '腹泻'],
        ['other', '其他'],
        ['none', '无以上症状', true],
      ),
    },
    {
      id: 'max_temperature',
      label: '最高体温',
      type: 'number',
      unit: '℃',
      min: 35,
      max: 43,
      integer: false,
      showIf: { question: 'symptoms', op: 'equals', value: 'fever' },
    },
    {
      id: 'symptoms_other',
      label: '其他症状（请说明）',
      type: 'text',
      maxLength: 100,
      showIf: { question: 'symptoms', op: 'equals', value: 'other' },
    },
    {
      id: 'seen_doctor',
      label: '是否已就医或咨询医生',
      type: 'yes_no',
      required: true,
      showIf: {
        question: 'symptoms',
        op: 'one_of',
        values: ['fever', 'cough', 'breath', 'fatigue', 'diarrhoea', 'other'],
      },
    },
    {
      id: 'chronic_conditions',
      label: '患有哪些慢性病',
      type: 'multiple',
      required: true,
      options: o(
        ['hypertension', '高血压'],
        ['diabetes', '糖尿病'],
        ['heart', '冠心病'],
        ['lung', '慢阻肺、哮喘'],
        ['stroke', '脑卒中（后遗症）'],
        ['cancer', '肿瘤'],
        ['kidney', '慢性肾病'],
        ['other', '其他'],
        ['none', '无', true],
      ),
      mapsTo: {
        field: 'health.conditions',
        // the ledger's names; 其他 and 无 propose nothing
        values: {
          hypertension: '高血压',
          diabetes: '糖尿病',
          heart: '冠心病',
          lung: '慢阻肺',
          stroke: '脑卒中',
          cancer: '肿瘤',
          kidney: '慢性肾病',
        },
      },
    },
    { id: 'long_term_medication', label: '是否需要长期服药', type: 'yes_no', required: true },
    {
      id: 'medication_days',
      label: '家中药品还够服用多少天',
      help: '不足 7 天的，请当即联系家庭医生或社区卫生服务中心协助配药。',
      type: 'number',
      unit: '天',
      min: 0,
      max: 365,
      required: true,
      showIf: { question: 'long_term_medication', op: 'equals', value: true },
    },
    {
      id: 'medication_names',
      label: '长期服用的药品',
      type: 'text',
      maxLength: 200,
      showIf: { question: 'long_term_medication', op: 'equals', value: true },
      mapsTo: { field: 'health.medicationNotes' },
    },
    {
      id: 'vaccination',
      label: '新冠疫苗接种情况',
      type: 'single',
      required: true,
      options: o(['none', '未接种'], ['one', '1剂'], ['two', '2剂'], ['booster', '3剂及以上（已加强）']),
    },
    {
      id: 'last_vaccination',
      label: '最近一次接种日期',
      type: 'date',
      notFuture: true,
      showIf: { question: 'vaccination', op: 'one_of', values: ['one', 'two', 'booster'] },
    },
    {
      id: 'not_vaccinated_reason',
      label: '未接种原因',
      type: 'single',
      showIf: { question: 'vaccination', op: 'equals', value: 'none' },
      options: o(
        ['contraindication', '有禁忌症'],
        ['worried', '担心不良反应'],
        ['cannot_go', '行动不便，无法前往接种点'],
        ['other', '其他'],
      ),
    },
    livingSituation,
    {
      id: 'needs',
      label: '目前有哪些困难和需求',
      type: 'multiple',
      required: true,
      options: o(
        ['see_doctor', '就医'],
        ['medicine', '购药、配药'],
        ['meals', '就餐、送餐'],
        ['daily_care', '生活照料'],
        ['supplies', '防护物资（口罩、抗原、消毒液）'],
        ['company', '心理疏导、陪伴'],
        ['other', '其他'],
        ['none', '暂无', true],
      ),
    },
    {
      id: 'needs_detail',
      label: '困难和需求的具体情况',
      type: 'text',
      maxLength: 300,
      showIf: {
        question: 'needs',
        op: 'one_of',
        values: ['see_doctor', 'medicine', 'meals', 'daily_care', 'supplies', 'company', 'other'],
      },
    },
    {
      id: 'urgent',
      label: '是否需要立即协助（需当即上报）',
      type: 'yes_no',
      required: true,
    },
  ],
};

const holidaySafety: FormDefinitionInput = {
  title: '节前安全排查',
  version: 1,
  description: '节前逐户上门或电话排查用水、用电、用气、取暖安全和节日生活保障，发现隐患当场提醒并登记整改。',
  questions: [
    {
      id: 'water',
      label: '用水情况',
      type: 'multiple',
      required: true,
      options: o(
        ['leak', '水管、龙头漏水'],
        ['freeze', '室外或楼道水管未做防冻'],
        ['no_water', '停水或水压不足'],
        ['ok', '未发现问题', true],
      ),
    },
    {
      id: 'power',
      label: '用电安全',
      type: 'multiple',
      required: true,
      options: o(
        ['old_wiring', '电线老化、私拉乱接'],
        ['overload', '大功率电器同时使用、插座超负荷'],
        ['ebike', '电动自行车在室内或楼道充电'],
        ['unattended', '电热毯、取暖器长时间无人看管'],
        ['ok', '未发现隐患', true],
      ),
    },
    {
      id: 'gas',
      label: '用气安全',
      type: 'multiple',
      required: true,
      options: o(
        ['hose', '燃气软管老化、超期或松动'],
        ['no_alarm', '未安装燃气报警器'],
        ['smell', '有燃气异味'],
        ['forget', '做饭时离开厨房、忘关火'],
        ['ok', '未发现隐患', true],
        ['no_gas', '家中不使用燃气', true],
      ),
    },
    {
      id: 'gas_smell_handled',
      label: '燃气异味是否已报燃气公司处理',
      type: 'yes_no',
      required: true,
      showIf: { question: 'gas', op: 'equals', value: 'smell' },
    },
    {
      id: 'heating',
      label: '取暖方式',
      type: 'single',
      required: true,
      options: o(
        ['central', '集中供暖'],
        ['aircon', '空调'],
        ['electric', '电暖器、电热毯'],
        ['coal', '燃煤、炭火取暖'],
        ['none', '没有取暖设施'],
      ),
    },
    {
      id: 'coal_ventilation',
      label: '是否安装烟道并保持通风（防一氧化碳中毒）',
      type: 'yes_no',
      required: true,
      showIf: { question: 'heating', op: 'equals', value: 'coal' },
    },
    {
      id: 'room_warm',
      label: '室内是否足够暖和',
      type: 'yes_no',
      required: true,
    },
    {
      id: 'food_supply',
      label: '节日期间米面油、蔬菜等食品和生活用品储备',
      type: 'single',
      required: true,
      options: o(['enough', '充足'], ['basic', '基本够用'], ['short', '不足，需要帮助']),
    },
    {
      id: 'food_help',
      label: '需要哪些帮助',
      type: 'multiple',
      required: true,
      showIf: { question: 'food_supply', op: 'equals', value: 'short' },
      options: o(
        ['shopping', '代购米面油、蔬菜'],
        ['meals', '送餐（含年夜饭）'],
        ['medicine', '代配药'],
        ['other', '其他'],
      ),
    },
    {
      id: 'medication_days',
      label: '常用药还够服用多少天',
      type: 'number',
      unit: '天',
      min: 0,
      max: 365,
    },
    {
      id: 'visitors',
      label: '节日期间谁来看望、陪伴',
      type: 'multiple',
      required: true,
      options: o(
        ['children', '子女'],
        ['relatives', '其他亲属'],
        ['neighbours', '邻居、楼组长'],
        ['volunteer', '志愿者（老伙伴）'],
        ['community', '社区工作人员'],
        ['nobody', '无人看望', true],
      ),
    },
    {
      id: 'emergency_contact_ok',
      label: '紧急联系人电话是否核实有效',
      type: 'yes_no',
      required: true,
    },
    {
      id: 'call_device',
      label: '一键通、紧急呼叫设备',
      type: 'single',
      required: true,
      options: o(['ok', '正常'], ['broken', '故障'], ['none', '未安装']),
    },
    {
      id: 'hazard_action',
      label: '发现的隐患如何处理',
      type: 'single',
      options: o(['fixed', '已当场提醒并整改'], ['reported', '需上报协调处理'], ['none_found', '未发现隐患']),
    },
    { id: 'note', label: '其他情况', type: 'text', maxLength: 300 },
  ],
};

const needsSurvey: FormDefinitionInput = {
  title: '需求调查',
  version: 1,
  description: '了解老人的生活自理情况、居家养老服务需求和参加活动的意愿，作为就近安排服务的依据。',
  questions: [
    livingSituation,
    {
      id: 'self_care',
      label: '日常生活能否自理',
      type: 'single',
      required: true,
      options: o(['full', '完全自理'], ['partly', '部分需要帮助'], ['none', '不能自理']),
    },
    {
      id: 'carer',
      label: '目前主要由谁照料',
      type: 'single',
      required: true,
      showIf: { question: 'self_care', op: 'one_of', values: ['partly', 'none'] },
      options: o(
        ['spouse', '老伴'],
        ['children', '子女'],
        ['helper', '保姆、护工'],
        ['other', '其他亲友'],
        ['nobody', '无人照料'],
      ),
    },
    {
      id: 'hearing',
      label: '听力是否不好（需要大声或当面交流）',
      type: 'yes_no',
      mapsTo: { field: 'elder.hearingImpaired' },
    },
    {
      id: 'services',
      label: '需要哪些居家养老服务',
      type: 'multiple',
      required: true,
      options: o(
        ['meals', '助餐（就餐、送餐）'],
        ['cleaning', '助洁（家政保洁）'],
        ['bathing', '助浴'],
        ['medical', '助医（陪同就医、代配药）'],
        ['outing', '助行（出行陪同）'],
        ['nursing', '康复护理'],
        ['haircut', '上门理发'],
        ['repair', '家电维修、管道疏通'],
        ['company', '精神慰藉（陪聊）'],
        ['call_device', '一键通紧急呼叫'],
        ['adaptation', '适老化改造（扶手、防滑）'],
        ['other', '其他'],
        ['none', '暂无需求', true],
      ),
    },
    {
      id: 'meals_per_week',
      label: '每周需要送餐几次',
      type: 'number',
      unit: '次',
      min: 1,
      max: 21,
      showIf: { question: 'services', op: 'equals', value: 'meals' },
    },
    {
      id: 'services_other',
      label: '其他服务需求（请说明）',
      type: 'text',
      maxLength: 200,
      showIf: { question: 'services', op: 'equals', value: 'other' },
    },
    {
      id: 'payment',
      label: '服务费用能否接受',
      type: 'single',
      showIf: {
        question: 'services',
        op: 'one_of',
        values: [
          'meals',
          'cleaning',
          'bathing',
          'medical',
          'outing',
          'nursing',
          'haircut',
          'repair',
          'adaptation',
        ],
      },
      options: o(
        ['free_only', '只接受免费服务'],
        ['low_cost', '可接受低偿服务'],
        ['market', '可按市场价付费'],
      ),
    },
    {
      id: 'monthly_budget',
      label: '每月愿意支付的服务费用',
      type: 'number',
      unit: '元',
      min: 0,
      max: 20000,
      showIf: { question: 'payment', op: 'one_of', values: ['low_cost', 'market'] },
    },
    {
      id: 'activities',
      label: '希望参加哪些活动',
      type: 'multiple',
      options: o(
        ['lectures', '健康讲座'],
        ['culture', '文体活动'],
        ['university', '老年大学'],
        ['volunteer', '志愿服务（发挥余热）'],
        ['none', '不参加', true],
      ),
    },
    { id: 'most_urgent', label: '当前最急需解决的问题', type: 'text', maxLength: 300 },
  ],
};

export interface FormTemplate {
  key: 'urgent_health' | 'holiday_safety' | 'needs_survey';
  form: FormDefinition;
}

export const formTemplates: FormTemplate[] = [
  { key: 'urgent_health', form: formDefinitionSchema.parse(urgentHealth) },
  { key: 'holiday_safety', form: formDefinitionSchema.parse(holidaySafety) },
  { key: 'needs_survey', form: formDefinitionSchema.parse(needsSurvey) },
];

/** The raw definitions, for the test that checks each against every rule of a definition. */
export const formTemplateInputs = { urgentHealth, holidaySafety, needsSurvey };
