/**
 * The assessment report as a file: XLSX (exceljs; a frozen header, the totals last, a second
 * sheet with each figure's definition) and CSV (UTF-8 with a BOM, csv.ts: formula cells
 * neutralised). The words live here, as the incident export's do: a file has no i18n module.
 */
import ExcelJS from 'exceljs';
import { toCsv } from '../csv.ts';
import type { AssessmentReport, AssessmentRow } from './schemas.ts';

type Lang = 'zh' | 'en';
type Cell = string | number | null;

/** The columns: a header, the cell of a row, and the figure's definition (docs/api.md says the same). */
const COLUMNS: { zh: string; en: string; cell: (r: AssessmentRow) => Cell; zhDef: string; enDef: string }[] = [
  { zh: '名称', en: 'Name', cell: (r) => r.label, zhDef: '分组（队员、队伍、单位类别、组织或乡镇）', enDef: 'The group (member, team, agency, organisation or township)' },
  { zh: '队伍数', en: 'Teams', cell: (r) => r.teams, zhDef: '计入该行的巡逻队数', enDef: 'Teams counted in the row' },
  { zh: '在岗小时', en: 'Duty hours', cell: (r) => r.dutyHours, zhDef: '相邻两次定位间隔不超过5分钟的时间之和', enDef: 'Time between consecutive fixes no more than 5 minutes apart, summed' },
  { zh: '巡逻里程(公里)', en: 'Distance km', cell: (r) => r.distanceKm, zhDef: '同样相邻定位之间的直线距离之和（速度超过50米/秒的跳点不计）', enDef: 'Straight-line distance between those fixes (jumps faster than 50 m/s left out)' },
  { zh: '签到次数', en: 'Check-ins', cell: (r) => r.visits, zhDef: '本组队伍在重点部位的签到（自动、手动、扫码）', enDef: "Check-ins at key locations by the group's teams (automatic, explicit, QR)" },
  { zh: '应巡次数', en: 'Required visits', cell: (r) => r.requiredVisits, zhDef: '本组网格内重点部位：按时巡查次数＋超时未巡次数', enDef: "Key locations in the group's grids: visits on time plus deadlines missed" },
  { zh: '按时率%', en: 'On time %', cell: (r) => (r.onTimeShare === null ? null : Math.round(r.onTimeShare * 1000) / 10), zhDef: '按时巡查次数 ÷ 应巡次数', enDef: 'Visits on time ÷ required visits' },
  { zh: '超时未巡', en: 'Deadlines missed', cell: (r) => r.missedDeadlines, zhDef: '重点时段内部位的巡查间隔用完仍无人巡查的次数', enDef: "Times a location's gap ran out in a key period with no visit" },
  { zh: '超时后巡查', en: 'Late visits', cell: (r) => r.lateVisits, zhDef: '结束一次超时的巡查', enDef: 'Visits that ended a lapse' },
  { zh: '最长间隔(分钟)', en: 'Longest lapse min', cell: (r) => r.longestLapseMin, zhDef: '一次巡查距该部位上次巡查（或时段开始）的最长时间', enDef: 'The longest time from a location’s previous visit (or the period’s start) to a visit' },
  { zh: '派警', en: 'Dispatched', cell: (r) => r.dispatched, zhDef: '派给本组队伍的事件次数', enDef: "Dispatches to the group's teams" },
  { zh: '接警', en: 'Accepted', cell: (r) => r.accepted, zhDef: '队伍接警次数', enDef: 'Dispatches accepted' },
  { zh: '到场', en: 'Arrived', cell: (r) => r.arrived, zhDef: '队伍到场次数', enDef: 'Arrivals on scene' },
  { zh: '办结', en: 'Resolved', cell: (r) => r.resolved, zhDef: '队伍办结的事件', enDef: 'Incidents the team resolved' },
  { zh: '接警中位(分钟)', en: 'Accept median min', cell: (r) => r.acceptMedianMin, zhDef: '派警到接警时间的中位数', enDef: 'Median time from dispatch to accept' },
  { zh: '接警P90(分钟)', en: 'Accept p90 min', cell: (r) => r.acceptP90Min, zhDef: '派警到接警时间的第90百分位（最近秩）', enDef: '90th percentile (nearest rank) from dispatch to accept' },
  { zh: '到场中位(分钟)', en: 'Arrive median min', cell: (r) => r.arriveMedianMin, zhDef: '派警到到场时间的中位数', enDef: 'Median time from dispatch to arrival' },
  { zh: '到场P90(分钟)', en: 'Arrive p90 min', cell: (r) => r.arriveP90Min, zhDef: '派警到到场时间的第90百分位', enDef: '90th percentile from dispatch to arrival' },
  { zh: '超时环节', en: 'Late steps', cell: (r) => r.lateSteps, zhDef: '事件下一环节超过时限（事件超时告警）', enDef: "An incident's next step overdue (incident_late alert raised)" },
  { zh: '村级调解', en: 'Settled village', cell: (r) => r.disputesSettled.village, zhDef: '在村（居）三室办结的纠纷', enDef: 'Disputes resolved at the village rooms' },
  { zh: '乡镇调解', en: 'Settled township', cell: (r) => r.disputesSettled.township, zhDef: '在乡镇两中心办结的纠纷', enDef: 'Disputes resolved at the township centres' },
  { zh: '县级调解', en: 'Settled county', cell: (r) => r.disputesSettled.county, zhDef: '在县三中心办结的纠纷', enDef: 'Disputes resolved at the county centres' },
  { zh: '纠纷上报', en: 'Passed up', cell: (r) => r.disputesPassedUp, zhDef: '纠纷上报到上一级调解的次数', enDef: 'Times a dispute was passed up a mediation level' },
  { zh: '一键求助', en: 'SOS', cell: (r) => r.sos, zhDef: '队伍发起的一键求助（SOS）', enDef: 'SOS raised by the team' },
  { zh: '收到指令', en: 'Orders', cell: (r) => r.orders, zhDef: '发给队伍的指令', enDef: 'Orders sent to the team' },
  { zh: '指令超时未读', en: 'Orders late', cell: (r) => r.ordersLate, zhDef: '超过时限仍未读的指令', enDef: 'Orders not read within the limit' },
  { zh: '指令未回应', en: 'Orders unanswered', cell: (r) => r.ordersUnanswered, zhDef: '其中至今未读的', enDef: 'Of those, still unread' },
  { zh: '接警超时', en: 'Dispatches late', cell: (r) => r.dispatchesLate, zhDef: '超过接警时限的派警', enDef: 'Dispatches not accepted within the limit' },
  { zh: '派警未回应', en: 'Dispatches unanswered', cell: (r) => r.dispatchesUnanswered, zhDef: '未接警即被改派、上报或办结的派警', enDef: 'Dispatches that went elsewhere, up or closed without an accept' },
];

export const REPORT_MEDIA = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

const TOTAL = { zh: '合计', en: 'Total' };

/** Header and rows (the total last) of a report. */
export function reportTable(report: AssessmentReport, lang: Lang): { header: string[]; rows: Cell[][] } {
  const rows = [...report.rows, { ...report.total, label: TOTAL[lang] }].map((r) => COLUMNS.map((c) => c.cell(r)));
  return { header: COLUMNS.map((c) => c[lang]), rows };
}

export function reportCsv(report: AssessmentReport, lang: Lang): string {
  const t = reportTable(report, lang);
  return toCsv(t.header, t.rows);
}

export async function reportXlsx(report: AssessmentReport, lang: Lang): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Lianfang';
  const title = lang === 'zh' ? `${report.county} 考核报表 ${report.from} 至 ${report.to}` : `${report.county} assessment ${report.from} to ${report.to}`;
  book.title = title;
  const sheet = book.addWorksheet(lang === 'zh' ? '考核' : 'Assessment', { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  const t = reportTable(report, lang);
  sheet.addRow(t.header).font = { bold: true };
  for (const r of t.rows) sheet.addRow(r);
  sheet.lastRow!.font = { bold: true };
  t.header.forEach((h, i) => (sheet.getColumn(i + 1).width = i === 0 ? 24 : Math.max(9, h.length * (lang === 'zh' ? 2 : 1) + 2)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.header.length } };
  const defs = book.addWorksheet(lang === 'zh' ? '定义' : 'Definitions');
  defs.addRow([title]).font = { bold: true };
  for (const c of COLUMNS) defs.addRow([c[lang], lang === 'zh' ? c.zhDef : c.enDef]);
  defs.getColumn(1).width = 20;
  defs.getColumn(2).width = 80;
  return Buffer.from(await book.xlsx.writeBuffer());
}
