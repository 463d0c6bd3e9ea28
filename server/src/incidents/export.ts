/**
 * The incident list as a file a county office opens (issue 18): XLSX (exceljs: a frozen,
 * filterable header row, times as real Excel date-times in county time) and CSV (UTF-8 with a
 * BOM, csv.ts). One table for both, with its words in Chinese or English: a file has no i18n
 * module, so its words live here, as the webhook texts do in webhooks/format.ts.
 */
import ExcelJS from 'exceljs';
import { localMinute, localParts, type IncidentCategory, type IncidentState } from '@lianfang/geo';
import { toCsv } from '../csv.ts';
import type { IncidentView } from './schemas.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportLang = 'zh' | 'en';

export const EXPORT_MEDIA: Record<ExportFormat, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const WORDS = {
  zh: {
    sheet: '事件',
    header: ['查询号', '类别', '状态', '等级', '来源', '乡镇', '网格', '地址', '描述', '报告人', '报告人电话', '处置队伍', '调解层级', '报告时间', '派警时间', '接警时间', '到场时间', '办结时间', '调解室', '调解员', '调解结果', '调解协议'],
    category: { help: '求助', dispute: '矛盾纠纷', public_order: '治安', suspicious_person: '可疑人员', safety_hazard: '安全隐患', traffic: '交通', mass_gathering: '人员聚集', other: '其他' },
    state: { new: '待处置', dispatched: '已派警', accepted: '已接警', on_scene: '已到场', resolved: '已办结', escalated: '已上报' },
    source: { dispatcher: '指挥调度', patrol: '巡逻上报', public: '群众求助' },
    level: { village: '村（居）三室', township: '乡镇两中心', county: '县三中心' },
    outcome: { settled: '调解成功', not_settled: '调解不成', withdrawn: '撤回', passed_up: '上报' },
  },
  en: {
    sheet: 'Incidents',
    header: ['Reference', 'Category', 'State', 'Severity', 'Source', 'Township', 'Grid', 'Address', 'Description', 'Reporter', 'Reporter phone', 'Team', 'Mediation level', 'Reported', 'Dispatched', 'Accepted', 'On scene', 'Resolved', 'Mediation room', 'Mediator', 'Mediation outcome', 'Agreement'],
    category: { help: 'Help', dispute: 'Dispute', public_order: 'Public order', suspicious_person: 'Suspicious person', safety_hazard: 'Safety hazard', traffic: 'Traffic', mass_gathering: 'Gathering', other: 'Other' },
    state: { new: 'New', dispatched: 'Dispatched', accepted: 'Accepted', on_scene: 'On scene', resolved: 'Resolved', escalated: 'Passed up' },
    source: { dispatcher: 'Dispatcher', patrol: 'Patrol report', public: 'Resident' },
    level: { village: 'Village rooms', township: 'Township centres', county: 'County centres' },
    outcome: { settled: 'Settled', not_settled: 'Not settled', withdrawn: 'Withdrawn', passed_up: 'Passed up' },
  },
} satisfies Record<ExportLang, { sheet: string; header: string[]; category: Record<IncidentCategory, string>; state: Record<IncidentState, string>; source: Record<IncidentView['source'], string>; level: Record<string, string>; outcome: Record<string, string> }>;

/** The columns holding times (epoch ms in the table): five from this one; the mediation record's four follow. */
const FIRST_TIME_COLUMN = 13;
const isTimeColumn = (i: number) => i >= FIRST_TIME_COLUMN && i < FIRST_TIME_COLUMN + 5;

export interface ExportNames {
  township(id: string | null): string | null;
  grid(id: string | null): string | null;
  team(id: string | null): string | null;
}

type Cell = string | number | null;

/** The first time the incident took a step (the latest dispatch: it may have gone to another team). */
function stepAt(incident: IncidentView, event: string, last = false): number | null {
  const steps = incident.history.filter((h) => h.event === event);
  return (last ? steps.at(-1) : steps[0])?.at ?? null;
}

/** The table: a header and a row per incident, times as epoch ms. */
export function incidentTable(incidents: IncidentView[], names: ExportNames, lang: ExportLang): { header: string[]; rows: Cell[][] } {
  const w = WORDS[lang];
  const rows = incidents.map((i): Cell[] => [
    i.reference,
    w.category[i.category],
    w.state[i.state],
    i.severity,
    w.source[i.source],
    names.township(i.townshipId),
    names.grid(i.gridId),
    i.address,
    i.description,
    i.reporter?.name ?? null,
    i.reporter?.phone ?? null,
    names.team(i.teamId),
    i.disputeLevel ? w.level[i.disputeLevel] : null,
    i.createdAt,
    stepAt(i, 'dispatch', true),
    stepAt(i, 'accept'),
    stepAt(i, 'arrive'),
    stepAt(i, 'resolve'),
    // A dispute's latest mediation record (the room that settled it, or passed it up last).
    ...((m) => [m?.room ?? null, m?.mediator ?? null, m ? w.outcome[m.outcome]! : null, m?.agreement ?? null])(i.history.findLast((h) => h.mediation)?.mediation),
  ]);
  return { header: [...w.header], rows };
}

/** "2027-02-16 20:05" on the county clock. */
const localText = (ms: number, timeZone: string) => localMinute(ms, timeZone).replace('T', ' ');

export function incidentsCsv(table: { header: string[]; rows: Cell[][] }, timeZone: string): string {
  return toCsv(table.header, table.rows.map((r) => r.map((c, i) => (isTimeColumn(i) && typeof c === 'number' ? localText(c, timeZone) : c))));
}

/**
 * Excel has no time zones: a date-time cell shows the wall time it holds, so each time is
 * written as the county's wall time (its local parts, as if UTC).
 */
function excelDate(ms: number, timeZone: string): Date {
  const p = localParts(ms, timeZone);
  return new Date(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second));
}

export async function incidentsXlsx(table: { header: string[]; rows: Cell[][] }, lang: ExportLang, timeZone: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Lianfang';
  const sheet = book.addWorksheet(WORDS[lang].sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(table.header).font = { bold: true };
  for (const r of table.rows) sheet.addRow(r.map((c, i) => (isTimeColumn(i) && typeof c === 'number' ? excelDate(c, timeZone) : c)));
  table.header.forEach((h, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = isTimeColumn(i) ? 17 : i === 8 || i === table.header.length - 1 ? 40 : Math.max(10, h.length * 2 + 2);
    if (isTimeColumn(i)) column.numFmt = 'yyyy-mm-dd hh:mm';
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.header.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}
