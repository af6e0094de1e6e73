import type { ParseDetailKey } from '../parse-details.i18n.js';

// A StatementError's detail stays one string, because the error crosses the parse thread as plain data (threaded.ts,
// message 'refused'). A detail in words is written as a marker: a key of parse-details.i18n.ts, then its params as
// JSON, e.g. `parse_detail.missing_elements {"names":["<CURDEF>","<BANKACCTFROM>"]}`. Params hold data that is not
// translated (element names, values, numbers), lists of it, `{ key }` for a word of the catalogue, or `{ field }` for
// a CSV profile field; statementErrorParams (locations.ts) decodes the marker into a nested message that t()
// translates. A detail that is only data (a value, an element name) stays as written.

/** A param of a detail: data kept as written, a list of it, a word of the catalogue, or a CSV profile field. */
export type DetailParam = string | number | readonly (string | number)[] | { key: ParseDetailKey } | { field: string };

/** The prefix of every detail marker. */
export const DETAIL_PREFIX = 'parse_detail.';

/** A detail in words, as the marker string a StatementError carries (built only when a file is refused). */
export function inWords(key: ParseDetailKey, params?: Record<string, DetailParam>): string {
  return params ? `${key} ${JSON.stringify(params)}` : key;
}

/** Messages of the saxes XML parser, with the detail each becomes; the first group of a pattern is the name. */
const SAXES_DETAILS: readonly [RegExp, ParseDetailKey][] = [
  [/^unclosed tag: (.*)$/, 'parse_detail.xml_unclosed_tag'],
  [/^unexpected end\.$/, 'parse_detail.xml_unexpected_end'],
  [/^text data outside of root node\.$/, 'parse_detail.xml_text_outside_root'],
  [/^disallowed character\.$/, 'parse_detail.xml_disallowed_character'],
  [/^disallowed character in (?:tag|closing tag|attribute|processing instruction) name\.?$/, 'parse_detail.xml_disallowed_name_character'],
  [/^disallowed character in closing tag\.$/, 'parse_detail.xml_disallowed_name_character'],
  [/^unmatched closing tag: (.*)\.$/, 'parse_detail.xml_unmatched_closing_tag'],
  [/^(?:unexpected|weird empty) close tag\.$/, 'parse_detail.xml_unexpected_closing_tag'],
  [/^document must contain a root element\.$/, 'parse_detail.xml_no_root'],
  [/^documents may contain only one root\.$/, 'parse_detail.xml_one_root'],
  [/^duplicate attribute: (.*)\.$/, 'parse_detail.xml_duplicate_attribute'],
  [/^unbound namespace prefix: "(.*)"\.$/, 'parse_detail.xml_unbound_prefix'],
  [/^(?:attribute without value|unquoted attribute value|no whitespace between attributes)\.$/, 'parse_detail.xml_bad_attribute'],
  [/^malformed comment\.$/, 'parse_detail.xml_bad_comment'],
  [/^malformed character entity\.$/, 'parse_detail.xml_bad_character_reference'],
  [/^malformed name: (.*)\.$/, 'parse_detail.xml_bad_name'],
  [/XML declaration|^processing instructions are not allowed before root/, 'parse_detail.xml_bad_declaration'],
  [/^the string "\]\]>" is disallowed in char data\.$/, 'parse_detail.xml_cdata_end'],
  [/^incorrect syntax\.$/, 'parse_detail.xml_bad_syntax'],
];

/** A saxes error message (its position removed) as a detail in words; one not known here stays as saxes wrote it. */
export function saxesDetail(message: string): string {
  for (const [pattern, key] of SAXES_DETAILS) {
    const match = pattern.exec(message);
    if (match) return inWords(key, match[1] === undefined ? undefined : { name: match[1] });
  }
  return message;
}
