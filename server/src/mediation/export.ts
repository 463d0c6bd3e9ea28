/**
 * Mediation statistics as a file: CSV (UTF-8 with a BOM, csv.ts) and XLSX (exceljs, a frozen
 * header, the total last, a sheet of definitions), as the assessment report's export does. The
 * words live here: a file has no i18n module. docs/api.md defines the same figures.
 */
import ExcelJS from 'exceljs';
import { toCsv } from '../csv.ts';
import type { MediationStats, MediationStatsRow } from './schemas.ts';

type Lang = 'zh' | 'en';
type Cell = string | number | null;

const LEVEL = { zh: { village: '村级', township: '乡镇级', county: '县级' }, en: { village: 'Village', township: 'Township', county: 'County' } } as const;

const COLUMNS: { zh: string; en: string; cell: (r: MediationStatsRow, lang: Lang) => Cell; zhDef: string; enDef: string }[] = [
  { zh: '名称', en: 'Name', cell: (r) => r.label, zhDef: '调解室（中心）或纠纷所在乡镇', enDef: "The mediation room (centre), or the dispute's township" },
  { zh: '层级', en: 'Level', cell: (r, lang) => (r.level ? LEVEL[lang][r.level] : null), zhDef: '调解室所在的调解层级（按调解室分组时）', enDef: "The room's level on the mediation ladder (grouping by room)" },
  { zh: '调解记录', en: 'Records', cell: (r) => r.records, zhDef: '记录了该调解室的纠纷办结或上报次数', enDef: 'Resolve and pass-up steps of disputes that recorded the room' },
  { zh: '调解成功', en: 'Settled', cell: (r) => r.settled, zhDef: '结果为“调解成功”的办结', enDef: 'Resolved with the outcome settled' },
  { zh: '调解不成', en: 'Not settled', cell: (r) => r.notSettled, zhDef: '结果为“调解不成”的办结（如引导诉讼）', enDef: 'Resolved with the outcome not settled (e.g. sent to court)' },
  { zh: '撤回', en: 'Withdrawn', cell: (r) => r.withdrawn, zhDef: '当事人撤回的办结', enDef: 'Resolved because the parties withdrew' },
  { zh: '上报', en: 'Passed up', cell: (r) => r.passedUp, zhDef: '调解未果上报到上一级', enDef: 'Passed up to the next level' },
  { zh: '达成协议', en: 'Agreements', cell: (r) => r.agreements, zhDef: '记录了调解协议内容的次数', enDef: 'Records with an agreement written down' },
  { zh: '成功率%', en: 'Success %', cell: (r) => (r.successRate === null ? null : Math.round(r.successRate * 1000) / 10), zhDef: '调解成功 ÷ 调解记录', enDef: 'Settled ÷ records' },
];

export const MEDIATION_MEDIA = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
const TOTAL = { zh: '合计', en: 'Total' };

export function mediationTable(stats: MediationStats, lang: Lang): { header: string[]; rows: Cell[][] } {
  const rows = [...stats.rows, { ...stats.total, label: TOTAL[lang] }].map((r) => COLUMNS.map((c) => c.cell(r, lang)));
  return { header: COLUMNS.map((c) => c[lang]), rows };
}

export function mediationCsv(stats: MediationStats, lang: Lang): string {
  const t = mediationTable(stats, lang);
  return toCsv(t.header, t.rows);
}

export async function mediationXlsx(stats: MediationStats, lang: Lang): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Lianfang';
  const title = lang === 'zh' ? `${stats.county} 调解统计 ${stats.from} 至 ${stats.to}` : `${stats.county} mediation ${stats.from} to ${stats.to}`;
  book.title = title;
  const sheet = book.addWorksheet(lang === 'zh' ? '调解统计' : 'Mediation', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  const t = mediationTable(stats, lang);
  sheet.addRow(t.header).font = { bold: true };
  for (const r of t.rows) sheet.addRow(r);
  sheet.lastRow!.font = { bold: true };
  t.header.forEach((h, i) => (sheet.getColumn(i + 1).width = i === 0 ? 28 : Math.max(9, h.length * (lang === 'zh' ? 2 : 1) + 2)));
  const defs = book.addWorksheet(lang === 'zh' ? '定义' : 'Definitions');
  defs.addRow([title]).font = { bold: true };
  for (const c of COLUMNS) defs.addRow([c[lang], lang === 'zh' ? c.zhDef : c.enDef]);
  defs.getColumn(1).width = 16;
  defs.getColumn(2).width = 70;
  return Buffer.from(await book.xlsx.writeBuffer());
}
