import { describe, expect, it } from 'vitest';
import {
  detectLayout,
  parseItemRow,
  parseProviderRow,
  providerKindOf,
  splitList,
} from './catalogue.sheets.ts';

const row = (rowNumber: number, cells: unknown[]) => ({ rowNumber, values: [undefined, ...cells] });

describe('which register a sheet holds', () => {
  it('finds the items header under a title row, and the providers header though both name 服务类别', () => {
    const items = detectLayout([
      row(1, ['滨江市居家养老上门服务项目目录']),
      row(2, ['序号', '服务类别', '服务项目', '计量单位', '参考价格（元）', '接单时限（小时）']),
    ]);
    expect(items).toMatchObject({ kind: 'items', headerRow: 2 });
    const providers = detectLayout([
      row(1, ['序号', '服务商名称', '统一社会信用代码', '类型', '服务类别', '服务区域']),
    ]);
    expect(providers).toMatchObject({ kind: 'providers', headerRow: 1 });
    expect(detectLayout([row(1, ['姓名', '身份证号', '社区'])])).toBeNull();
  });
});

describe('cells as offices write them', () => {
  const items = detectLayout([
    row(1, ['类别', '项目名称', '单位', '收费标准', '受理时限', '到达时限', '办结时限', '服务卡']),
  ])!;
  const item = (cells: unknown[]) => parseItemRow(2, [undefined, ...cells], items.columns as never);

  it('prices in yuan become fen; 免费 is null; limits in hours become minutes', () => {
    expect(item(['维修', '开锁', '次', '80元', 0.25, 0.5, 2, '否'])).toEqual({
      ok: expect.objectContaining({
        priceFen: 8000,
        acceptMinutes: 15,
        arriveMinutes: 30,
        completeMinutes: 120,
        cardPayable: false,
      }),
    });
    expect(item(['委托代办', '代办医保报销', '次', '免费', 4, 48, 72, '是'])).toEqual({
      ok: expect.objectContaining({ priceFen: null, cardPayable: true }),
    });
    expect(item(['维修', '修椅子', '把', 12.5, '', '', '', ''])).toEqual({
      ok: expect.objectContaining({
        priceFen: 1250,
        acceptMinutes: 240,
        arriveMinutes: 2880,
        completeMinutes: 4320,
      }),
    });
  });

  it('a blank line is skipped; bad cells are named by column', () => {
    expect(item(['', '', '', '', '', '', '', ''])).toBeNull();
    const bad = item(['维修', '修椅子', '把', '面议', 0, 24, 72, '也许']);
    expect('problems' in bad! && bad.problems.map((p) => p.field)).toEqual([
      '参考价格',
      '接单时限',
      '可用服务卡支付',
    ]);
  });

  it('provider kinds, stars, lists and the check character of the credit code', () => {
    expect(providerKindOf('志愿服务队')).toBe('volunteer_team');
    expect(providerKindOf('民办非企业单位')).toBe('social_org');
    expect(providerKindOf('社区卫生服务站')).toBe('medical');
    expect(providerKindOf('有限公司')).toBe('enterprise');
    expect(providerKindOf('合作社')).toBeNull();
    expect(splitList('枫林街道、桂园街道，临湖街道; 梅岭街道')).toEqual([
      '枫林街道',
      '桂园街道',
      '临湖街道',
      '梅岭街道',
    ]);
    const layout = detectLayout([
      row(1, ['服务商名称', '统一社会信用代码', '类型', '服务类别', '服务区域', '合同截止', '服务星级']),
    ])!;
    const parse = (cells: unknown[]) =>
      parseProviderRow(2, [undefined, ...cells], layout.columns as never, '2026-12-06');
    expect(parse(['甲公司', '91330155NG7BP5J77T', '企业', '维修', '全市', '2026-12-31', '★★★'])).toEqual({
      ok: expect.objectContaining({ kind: 'enterprise', stars: 3, status: 'active', areas: ['全市'] }),
    });
    // a contract that ended is 合同到期
    expect(parse(['乙公司', '91330151K5GFGCGF5D', '企业', '维修', '全市', '2026-01-31', '4'])).toEqual({
      ok: expect.objectContaining({ stars: 4, status: 'expired' }),
    });
    const bad = parse(['丙公司', '91330155NG7BP5J77U', '企业', '维修', '全市', '', '六星']);
    expect('problems' in bad! && bad.problems.map((p) => p.field)).toEqual(['统一社会信用代码', '服务星级']);
  });
});
