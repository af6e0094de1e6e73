import { describe, expect, it } from 'vitest';
import { utf8Text } from '../../../core/text.js';
import { compactXml as compactBytes } from './compact-xml.js';

const compactXml = (xml: string) => utf8Text(compactBytes(xml));

describe('compactXml', () => {
  it('removes the whitespace between tags and keeps the text inside them', () => {
    expect(compactXml('<Ntry>\n  <Amt Ccy="EUR">15.00</Amt>\r\n\t<Nm> Zoé  Dupont </Nm>\n</Ntry>')).toBe('<Ntry><Amt Ccy="EUR">15.00</Amt><Nm> Zoé  Dupont </Nm></Ntry>');
  });

  it('keeps whitespace that is not between two tags', () => {
    expect(compactXml('<a> x <b/> \n')).toBe('<a> x <b/> \n');
    expect(compactXml('<a>\n\n')).toBe('<a>\n\n');
    expect(compactXml('text >  <')).toBe('text ><');
  });

  it('keeps spaces that XML does not count as whitespace (character data)', () => {
    expect(compactXml('<a>\u00a0<b/>\u2003<c/></a>')).toBe('<a>\u00a0<b/>\u2003<c/></a>');
  });

  it('keeps characters beyond Latin-1, in entries of any size', () => {
    const entry = `<Ntry>\n<Ustrd>Łódź 🐝 ᚠ</Ustrd>\n${'<Ref>x</Ref>\n'.repeat(5_000)}</Ntry>`;
    expect(compactXml(entry)).toBe(entry.replace(/>\n</g, '><'));
    expect(compactXml('<a>🐝</a>\n<b>é</b>')).toBe('<a>🐝</a><b>é</b>');
  });

  it('gives the same text as before for an XML that needs nothing removed', () => {
    expect(compactXml('')).toBe('');
    expect(compactXml('<Ntry><Amt>1</Amt></Ntry>')).toBe('<Ntry><Amt>1</Amt></Ntry>');
  });
});
