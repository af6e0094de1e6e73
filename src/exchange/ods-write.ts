// Writes OpenDocument spreadsheets by hand: a few XML files in a zip, no heavy library.
import { strToU8, zipSync } from 'fflate';
import { escapeXml, finiteOrNull, safeSheetName, xmlSafeText } from './sheet.js';
import type { Cell } from './sheet.js';

const MIME = 'application/vnd.oasis.opendocument.spreadsheet';
const XML = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  fo: 'urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
  manifest: 'urn:oasis:names:tc:opendocument:xmlns:manifest:1.0',
};

/** Builds a one-sheet ODS (bold header row); `mimetype` comes first and stored, as ODF readers require. */
export function toOds(sheetName: string, headers: string[], rows: Cell[][]): Uint8Array {
  return zipSync(
    {
      mimetype: [strToU8(MIME), { level: 0 }],
      'META-INF/manifest.xml': strToU8(manifestXml()),
      'content.xml': strToU8(contentXml(sheetName, headers, rows)),
      'styles.xml': strToU8(stylesXml()),
      'meta.xml': strToU8(metaXml()),
    },
    { level: 6 },
  );
}

function xmlns(...prefixes: (keyof typeof NS)[]): string {
  return prefixes.map((p) => `xmlns:${p}="${NS[p]}"`).join(' ');
}

function manifestXml(): string {
  const entry = (path: string, type: string): string => `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="${type}"/>`;
  return `${XML}<manifest:manifest ${xmlns('manifest')} manifest:version="1.2">`
    + `<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="${MIME}"/>`
    + ['content.xml', 'styles.xml', 'meta.xml'].map((path) => entry(path, 'text/xml')).join('')
    + '</manifest:manifest>';
}

function stylesXml(): string {
  return `${XML}<office:document-styles ${xmlns('office', 'style')} office:version="1.2"><office:styles/></office:document-styles>`;
}

function metaXml(): string {
  return `${XML}<office:document-meta ${xmlns('office', 'meta')} office:version="1.2">`
    + '<office:meta><meta:generator>Ruche</meta:generator></office:meta></office:document-meta>';
}

function contentXml(sheetName: string, headers: string[], rows: Cell[][]): string {
  const bold = '<style:style style:name="header" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>';
  const header = `<table:table-header-rows>${rowXml(headers, ' table:style-name="header"')}</table:table-header-rows>`;
  const columns = `<table:table-column table:number-columns-repeated="${Math.max(1, headers.length)}"/>`;
  return `${XML}<office:document-content ${xmlns('office', 'style', 'text', 'table', 'fo')} office:version="1.2">`
    + `<office:automatic-styles>${bold}</office:automatic-styles><office:body><office:spreadsheet>`
    + `<table:table table:name="${escapeXml(safeSheetName(sheetName))}">${columns}${header}`
    + rows.map((row) => rowXml(row, '')).join('')
    + '</table:table></office:spreadsheet></office:body></office:document-content>';
}

function rowXml(cells: (Cell | undefined)[], style: string): string {
  return `<table:table-row>${cells.map((cell) => cellXml(cell, style)).join('')}</table:table-row>`;
}

function cellXml(value: Cell | undefined, style: string): string {
  const number = typeof value === 'number' ? finiteOrNull(value) : null;
  if (number !== null) {
    return `<table:table-cell${style} office:value-type="float" office:value="${number}"><text:p>${number}</text:p></table:table-cell>`;
  }
  if (typeof value !== 'string' || value === '') return `<table:table-cell${style}/>`;
  return `<table:table-cell${style} office:value-type="string">${paragraphs(value)}</table:table-cell>`;
}

// ODF collapses white space inside text:p: lines become paragraphs, tabs and runs of spaces become elements.
function paragraphs(value: string): string {
  return xmlSafeText(value)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => `<text:p>${spaced(line)}</text:p>`)
    .join('');
}

function spaced(line: string): string {
  const parts = line.split('\t').map((part) =>
    escapeXml(part).replace(/ +/g, (run, at: number, whole: string) => {
      const edge = at === 0 || at + run.length === whole.length;
      if (edge) return `<text:s text:c="${run.length}"/>`;
      return run.length === 1 ? ' ' : ` <text:s text:c="${run.length - 1}"/>`;
    }),
  );
  return parts.join('<text:tab/>');
}
