/**
 * CSV for people's spreadsheets, used by every CSV export: RFC 4180 quoting, CRLF line ends and
 * a UTF-8 BOM (so Excel opens Chinese names right), and text cells neutralised against formula
 * injection (OWASP "CSV Injection"): a cell that begins with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is prefixed with `'`, so a location named `=HYPERLINK(…)` stays text. Numbers
 * we computed ourselves are written as they are (a negative number is not a formula).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: null and undefined are empty; text that a spreadsheet would run is prefixed with `'`.
 *
 * @example
 * csvCell('=1+1'); // "'=1+1"
 * csvCell('北门, 东侧'); // '"北门, 东侧"'
 * csvCell(-3); // '-3'
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * A whole file: a header row and data rows, every cell through {@link csvCell}.
 *
 * @example
 * toCsv(['id', 'name'], [['L1', '汽车站']]); // "\uFEFFid,name\r\nL1,汽车站\r\n"
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly (string | number | boolean | null | undefined)[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
