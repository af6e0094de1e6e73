// Writes XLSX workbooks with exceljs, loaded only when an export is asked for.
import { finiteOrNull, safeSheetName, xmlSafeText } from './sheet.js';
import type { Cell } from './sheet.js';

const MAX_CELL_TEXT = 32_767; // Excel refuses longer cell text
const MAX_WIDTH = 60;

/** Builds a one-sheet XLSX (bold, frozen header row); exceljs is imported lazily to keep idle memory low. */
export async function toXlsx(sheetName: string, headers: string[], rows: Cell[][]): Promise<Buffer> {
  const workbook = new (await loadExcelJs()).Workbook();
  workbook.creator = 'Ruche';
  const sheet = workbook.addWorksheet(safeSheetName(sheetName), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.addRow(headers.map(xlsxCell)).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(xlsxCell));
  columnWidths(headers, rows).forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// exceljs is CommonJS: Node hands it over as `default`, while its typings declare named exports.
async function loadExcelJs(): Promise<typeof import('exceljs')> {
  const module: unknown = await import('exceljs');
  return (module as { default: typeof import('exceljs') }).default;
}

function xlsxCell(value: Cell | undefined): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return finiteOrNull(value);
  return xmlSafeText(value).slice(0, MAX_CELL_TEXT);
}

function columnWidths(headers: string[], rows: Cell[][]): number[] {
  return headers.map((header, i) => {
    const longest = rows.reduce((max, row) => Math.max(max, String(row[i] ?? '').length), header.length);
    return Math.min(MAX_WIDTH, Math.max(8, longest + 2));
  });
}
