import type { ProviderKind } from '../../../shared/catalogue.ts';

// The catalogue a city starts with: the service types of GB/T 43153-2023 (居家养老上门服务基本规范:
// 生活照料, 基础照护, 健康管理, 探访关爱, 精神慰藉, 委托代办, 适老化改造 …) with the items the seeds name
// (Ningbo 81890's repairs and errands, Yuyao's haircuts and 96345 domestic-helper matching, Xi'an's
// reimbursement errand across four departments). Limits follow the sample register: everyday help
// accepted within 4 h, on the doorstep within 48 h; health within 2 h / 24 h; works within a day / a
// week. Offices change all of it, or import their own register.

export interface DefaultItem {
  name: string;
  unit: string;
  /** yuan; null 免费 */
  price: number | null;
  sla: [accept: number, arrive: number, complete: number];
  followUpDays: number;
  workingDays: boolean;
  kinds: ProviderKind[];
  card: boolean;
  note?: string;
}

const everyday = [4, 48, 72] as [number, number, number];
const health = [2, 24, 48] as [number, number, number];
const repair = [2, 24, 72] as [number, number, number];
const works = [24, 168, 720] as [number, number, number];
const errand = [4, 48, 120] as [number, number, number];

const care: ProviderKind[] = ['enterprise', 'social_org'];
const volunteer: ProviderKind[] = ['volunteer_team', 'social_org'];
const medical: ProviderKind[] = ['medical', 'social_org'];

const it = (
  name: string,
  unit: string,
  price: number | null,
  sla: [number, number, number],
  kinds: ProviderKind[],
  card: boolean,
  extra: Partial<DefaultItem> = {},
): DefaultItem => ({ name, unit, price, sla, followUpDays: 3, workingDays: false, kinds, card, ...extra });

export const defaultCatalogue: { name: string; items: DefaultItem[] }[] = [
  {
    name: '生活照料',
    items: [
      it('助餐·堂食', '餐', 12, everyday, care, true),
      it('助餐·送餐上门', '餐', 15, everyday, care, true),
      it('助洁·居室保洁', '次', 80, everyday, care, true),
      it('助浴·上门助浴', '次', 120, everyday, care, true),
      it('助行·陪同外出', '小时', 30, everyday, [...care, 'volunteer_team'], true),
      it('理发', '次', 15, everyday, [...care, 'volunteer_team'], true),
      it('代购生活用品', '次', 10, everyday, [...care, 'volunteer_team'], true),
    ],
  },
  {
    name: '基础照护',
    items: [
      it('协助进食', '次', 20, everyday, care, true),
      it('协助如厕与清洁', '次', 30, everyday, care, true),
      it('翻身拍背与压疮预防', '次', 40, health, [...care, 'medical'], true),
    ],
  },
  {
    name: '健康管理',
    items: [
      it('助医·上门巡诊', '次', null, health, medical, false, { note: '家庭医生签约服务' }),
      it('陪诊', '次', 80, health, [...medical, 'enterprise'], false),
      it('配药·代为配药', '次', 20, health, [...medical, 'enterprise'], false),
      it('测量血压血糖', '次', 10, health, medical, true),
      it('用药提醒', '月', 30, health, medical, false),
    ],
  },
  {
    name: '探访关爱',
    items: [
      it('上门探访', '次', null, everyday, volunteer, false),
      it('电话问候', '次', null, [2, 24, 24], volunteer, false),
      it('节日慰问', '次', null, everyday, volunteer, false),
    ],
  },
  {
    name: '精神慰藉',
    items: [
      it('上门陪聊', '小时', null, everyday, volunteer, false),
      it('读书读报', '小时', null, everyday, volunteer, false),
      it('心理疏导', '次', 100, everyday, ['social_org', 'medical'], false),
    ],
  },
  {
    name: '委托代办',
    items: [
      it('代办医疗费用报销', '次', null, errand, ['social_org', 'volunteer_team', 'public_service'], false, {
        workingDays: true,
        followUpDays: 7,
        note: '可能涉及医保、民政、残联等多个部门',
      }),
      it(
        '代办养老金资格认证',
        '次',
        null,
        errand,
        ['social_org', 'volunteer_team', 'public_service'],
        false,
        {
          workingDays: true,
        },
      ),
      it('代缴水电燃气费', '次', 5, everyday, [...care, 'volunteer_team'], true),
      it('代取快递', '次', 5, everyday, [...care, 'volunteer_team'], true),
    ],
  },
  {
    name: '适老化改造',
    items: [
      it('卫生间扶手安装', '处', 150, works, ['enterprise'], false, { workingDays: true, followUpDays: 7 }),
      it('防滑地面处理', '平方米', 60, works, ['enterprise'], false, { workingDays: true, followUpDays: 7 }),
      it('紧急呼叫按钮安装', '个', 150, works, ['enterprise'], false, { workingDays: true, followUpDays: 7 }),
      it('适老化评估', '次', null, works, ['enterprise', 'social_org'], false, { workingDays: true }),
    ],
  },
  {
    name: '维修',
    items: [
      it('水电维修', '次', 50, repair, ['enterprise'], true),
      it('家电维修', '台', 80, repair, ['enterprise'], true),
      it('管道疏通', '次', 80, repair, ['enterprise'], true),
      it('开锁', '次', 80, [0.25, 1, 2], ['enterprise'], false),
    ],
  },
  {
    name: '家政服务员介绍',
    items: [
      it('保姆（住家）介绍', '次', null, errand, ['enterprise', 'social_org'], false, {
        workingDays: true,
        followUpDays: 30,
        note: '需求 → 推荐 → 面试 → 匹配',
      }),
      it('钟点工介绍', '次', null, errand, ['enterprise', 'social_org'], false, {
        workingDays: true,
        followUpDays: 14,
      }),
    ],
  },
  {
    name: '法律援助',
    items: [
      it('法律咨询', '次', null, errand, ['social_org', 'public_service', 'enterprise'], false, {
        workingDays: true,
      }),
      it('法律援助申请', '次', null, errand, ['social_org', 'public_service', 'enterprise'], false, {
        workingDays: true,
        followUpDays: 15,
      }),
    ],
  },
];
