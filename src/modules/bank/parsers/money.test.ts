import { describe, expect, it } from 'vitest';
import { minorToDecimal, toMinorUnits } from './money.js';

describe('money in minor units', () => {
  it('reads decimal text exactly and writes it back for spreadsheets', () => {
    expect(toMinorUnits('1234.5', 'EUR')).toBe(123450);
    expect(toMinorUnits('-0.07', 'EUR')).toBe(-7);
    expect(toMinorUnits('12', 'JPY')).toBe(12);
    expect(() => toMinorUnits('1.234', 'EUR')).toThrow();
    expect(minorToDecimal(1999, 'EUR')).toBe(19.99);
    expect(minorToDecimal(-7, 'EUR')).toBe(-0.07);
    expect(minorToDecimal(1500, 'JPY')).toBe(1500);
    expect(minorToDecimal(12345, 'KWD')).toBe(12.345);
  });
});
