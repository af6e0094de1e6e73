const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const MANY_SPACES = / {2,}/g;

// Letters that Unicode does not decompose into a base letter plus an accent.
const LIGATURES: Record<string, string> = { ø: 'o', œ: 'oe', æ: 'ae', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lower-case, accent-free, single-spaced form of a text, so `Hélène` and `helene` compare equal. */
export function fold(text: string): string {
  // Most bank and register texts are plain ASCII: nothing to decompose (most of the cost of folding).
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase().replace(MANY_SPACES, ' ').trim();
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[øœæßłđðþı]/g, (c) => LIGATURES[c])
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes `%`, `_` and `\` for a LIKE pattern used with ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A flat copy of a string that does not keep its source alive: V8 slices point into their parent string, so a
 * slice kept in a cache or a capture would otherwise hold the whole chunk (or file) it was read from.
 */
export function detached(text: string): string {
  return `${text} `.slice(0, -1);
}

const UTF8 = new TextDecoder();

/** Text kept as UTF-8 bytes (a bank file's raw records), as a string. */
export function utf8Text(bytes: Uint8Array): string {
  return UTF8.decode(bytes);
}
