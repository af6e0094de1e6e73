import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { toOds } from './ods-write.js';
import type { Cell } from './sheet.js';
import { safeSheetName } from './sheet.js';
import { toXlsx } from './xlsx-write.js';

const HEADERS = ['nom', 'montant', 'note'];
const ROWS: Cell[][] = [
  ['Hélène Œuvray', 12.5, '<script>&"\'</script>'],
  ['Zoë\u0001\uFFFF', -3, '=1+1'],
  [null, 0, 'deux\nlignes'],
];

describe('toXlsx', () => {
  it('writes cells exceljs reads back, with a bold frozen header', async () => {
    const buffer = await toXlsx('Membres 2024', HEADERS, ROWS);
    expect(Buffer.isBuffer(buffer)).toBe(true);
    const { default: ExcelJS } = (await import('exceljs')) as unknown as { default: typeof import('exceljs') };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Membres 2024');
    expect(sheet).toBeDefined();
    const values = (n: number): unknown[] => (sheet!.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(HEADERS);
    expect(values(2)).toEqual(['Hélène Œuvray', 12.5, '<script>&"\'</script>']);
    expect(values(3)).toEqual(['Zoë', -3, '=1+1']);
    expect(values(4)).toEqual([undefined, 0, 'deux\nlignes']);
    expect(sheet!.getRow(1).font?.bold).toBe(true);
    expect(sheet!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('makes sheet names Excel accepts', () => {
    expect(safeSheetName("'Dues [2024/25]: paid?'")).toBe('Dues  2024 25   paid');
    expect(safeSheetName('a'.repeat(40))).toHaveLength(31);
    expect(safeSheetName(' ')).toBe('Sheet1');
  });
});

describe('toOds', () => {
  const zip = toOds('Membres <2024>', HEADERS, ROWS);
  const files = unzipSync(zip);
  const content = strFromU8(files['content.xml']);

  it('stores the mimetype first and uncompressed, as ODF requires', () => {
    const header = Buffer.from(zip.buffer, zip.byteOffset, 38 + 46);
    expect(header.readUInt32LE(0)).toBe(0x04034b50);
    expect(header.readUInt16LE(8)).toBe(0);
    expect(header.readUInt16LE(26)).toBe(8);
    expect(header.readUInt16LE(28)).toBe(0);
    expect(header.toString('latin1', 30, 38)).toBe('mimetype');
    expect(header.toString('latin1', 38)).toBe('application/vnd.oasis.opendocument.spreadsheet');
    expect(Object.keys(files)).toEqual(['mimetype', 'META-INF/manifest.xml', 'content.xml', 'styles.xml', 'meta.xml']);
  });

  it('lists its parts in the manifest', () => {
    const manifest = strFromU8(files['META-INF/manifest.xml']);
    for (const part of ['/', 'content.xml', 'styles.xml', 'meta.xml']) expect(manifest).toContain(`manifest:full-path="${part}"`);
  });

  it('escapes text, drops characters XML forbids and types numbers as floats', () => {
    expect(content).toContain('table:name="Membres &lt;2024&gt;"');
    expect(content).toContain('<text:p>&lt;script&gt;&amp;&quot;&apos;&lt;/script&gt;</text:p>');
    expect(content).toContain('office:value-type="string"><text:p>Zoë</text:p>');
    expect(content).not.toMatch(/[\u0001\uFFFF]/);
    expect(content).toContain('office:value-type="float" office:value="12.5"><text:p>12.5</text:p>');
    expect(content).toContain('office:value-type="float" office:value="-3"');
    expect(content).toContain('<text:p>deux</text:p><text:p>lignes</text:p>');
    expect(content).toContain('<text:p>=1+1</text:p>');
  });

  it('keeps spaces and tabs that XML would collapse', () => {
    const xml = strFromU8(unzipSync(toOds('s', ['a'], [['  two  spaces\tand tab ']]))['content.xml']);
    expect(xml).toContain('<text:p><text:s text:c="2"/>two <text:s text:c="1"/>spaces<text:tab/>and tab<text:s text:c="1"/></text:p>');
  });
});
