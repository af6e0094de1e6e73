// Helpers shared by the spreadsheet writers (XLSX and ODS).

/** A cell of an exported table: text, a number, or empty. */
export type Cell = string | number | null;

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Drops the characters XML 1.0 cannot carry, so a stray control character never corrupts a file. */
export function xmlSafeText(text: string): string {
  return text.replace(INVALID_XML, '');
}

/** Escapes text for an XML element or attribute, after dropping characters XML cannot carry. */
export function escapeXml(text: string): string {
  return xmlSafeText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** A sheet name both Excel and LibreOffice accept: no []*?:/\, no edge apostrophes, at most 31 characters. */
export function safeSheetName(name: string): string {
  const cleaned = xmlSafeText(name)
    .replace(/[[\]*?:/\\\t\r\n]/g, ' ')
    .replace(/^[\s']+|[\s']+$/g, '')
    .slice(0, 31)
    .replace(/[\uD800-\uDBFF]$/, '')
    .trim();
  return cleaned === '' ? 'Sheet1' : cleaned;
}

/** A number a spreadsheet can hold, or null for NaN and infinities. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
