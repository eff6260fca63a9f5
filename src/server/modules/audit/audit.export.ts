import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { auditFilterQuery } from '../../../shared/audit.ts';
import { actorShort, auditDetails, auditSentence, type Translate } from '../../../shared/audit-sentence.ts';
import auditEn from '../../../web/features/audit/locales/en-US.json';
import auditZh from '../../../web/features/audit/locales/zh-CN.json';
import eldersEn from '../../../web/features/elders/locales/en-US.json';
import eldersZh from '../../../web/features/elders/locales/zh-CN.json';
import en from '../../../web/locales/en-US.json';
import zh from '../../../web/locales/zh-CN.json';
import type { Ctx } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { auditLinesForExport } from './audit.read.ts';

// The export says what the screen says: the same sentences from the same locale files.
const texts = {
  zh: { ...zh, audit: { ...zh.audit, ...auditZh }, elders: eldersZh },
  en: { ...en, audit: { ...en.audit, ...auditEn }, elders: eldersEn },
};

function translator(lang: 'zh' | 'en'): Translate {
  return (key, params) => {
    let v: unknown = texts[lang];
    for (const k of key.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    if (typeof v !== 'string') return null;
    return v.replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params?.[p] ?? ''));
  };
}

/** OWASP: a cell starting with = + - @ (or tab/CR) is read as a formula by a spreadsheet; quote it. */
export const formulaSafe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

const shanghai = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};

export async function exportAudit(db: Db, ctx: Ctx, q: z.infer<typeof auditFilterQuery>) {
  const lines = await auditLinesForExport(db, ctx, q, 50_000);
  const lang = ctx.lang === 'en' ? 'en' : 'zh';
  const t = translator(lang);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t('audit.exportTitle') ?? '审计日志');
  ws.addRow(
    lang === 'zh'
      ? ['时间', '操作人', '内容', '变更与原因', 'IP 地址']
      : ['Time', 'Actor', 'Entry', 'Changes and reason', 'IP'],
  );
  ws.getRow(1).font = { bold: true };
  for (const l of lines) {
    const time = l.count > 1 ? `${shanghai(l.firstAt)}–${shanghai(l.at)}` : shanghai(l.at);
    ws.addRow(
      [time, actorShort(l.actorName), auditSentence(l, t), auditDetails(l, t).join('\n'), l.ip ?? ''].map(
        formulaSafe,
      ),
    );
  }
  ws.columns.forEach((col, i) => {
    col.width = [20, 14, 50, 50, 16][i];
  });
  return {
    filename: `${t('audit.exportTitle') ?? 'audit'}.xlsx`,
    buffer: Buffer.from(await wb.xlsx.writeBuffer()),
  };
}
