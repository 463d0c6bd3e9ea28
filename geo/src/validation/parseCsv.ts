/**
 * A small RFC 4180 CSV reader: quoted fields with commas, doubled quotes and line breaks, CRLF or
 * LF, a leading byte-order mark. Enough for spreadsheets exported by county offices; no I/O.
 */

export interface CsvRecord {
  /** 1-based record number: the header is row 1. Blank lines count, like a spreadsheet's rows. */
  row: number;
  fields: string[];
}

/**
 * Splits CSV text into records. An unterminated quote is reported, not thrown.
 *
 * @example
 * parseCsv('id,name\nL1,"Hotel, east"\n').records; // [{ row: 1, fields: ['id', 'name'] }, { row: 2, fields: ['L1', 'Hotel, east'] }]
 */
export function parseCsv(text: string): { records: CsvRecord[]; unterminatedAt?: number } {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let recordStart = row;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ row: recordStart, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (ch === '\n') row++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row++;
      recordStart = row;
    } else field += ch;
    i++;
  }
  if (quoted) return { records, unterminatedAt: recordStart };
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}
