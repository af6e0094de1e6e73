// Letters that Unicode does not decompose into a base letter plus an accent.
const LIGATURES: Record<string, string> = { ø: 'o', œ: 'oe', æ: 'ae', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lower-case, accent-free, single-spaced form of a text, so `Hélène` and `helene` compare equal. */
export function fold(text: string): string {
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
