// Shared by the statement parser tests: where the real bank files are, and how to catch a parser's refusal.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { expectTranslated } from './refusals.js';
import { unavailable } from './require.js';
import { type ParsedBalance, type ParsedEntry, type ParsedStatementHeader, StatementError, type StatementEvent } from '../../src/modules/bank/parsers/types.js';

/** The real bank statement files shipped beside the project (../shared/corpus/bank). */
export const CORPUS = join(import.meta.dirname, '../../../shared/corpus/bank');

/**
 * Whether the corpus is there; when it is not, says so once per suite (conformance tests then skip, visibly), or
 * fails when the `corpus` suite is required (RUCHE_REQUIRE_SUITES, as CI sets it).
 */
export function haveCorpus(suite: string): boolean {
  if (existsSync(CORPUS)) return true;
  unavailable('corpus', `the ${suite} conformance files are absent (${CORPUS})`);
  return false;
}

/** The bytes of a corpus file. */
export function corpusFile(name: string): Buffer {
  return readFileSync(join(CORPUS, name));
}

/**
 * Runs a parse that must be refused and returns the StatementError it raised (any other outcome fails the test),
 * having checked that its message reads in French and Dutch without English words.
 */
export function statementFailure(run: () => unknown): StatementError {
  try {
    run();
  } catch (error) {
    if (!(error instanceof StatementError)) throw error;
    expectTranslated(error);
    return error;
  }
  throw new Error('expected a StatementError');
}

/** A statement as a parser yielded it, gathered from its events. */
export interface ParsedStatement {
  header: ParsedStatementHeader;
  entries: ParsedEntry[];
  closing: ParsedBalance | null;
}

/** Collects a parser's events into statements, checking their order (header, entries, end). */
export function collectStatements(events: Iterable<StatementEvent>): ParsedStatement[] {
  const result: ParsedStatement[] = [];
  let current: ParsedStatement | null = null;
  for (const event of events) {
    if (event.type === 'statement') {
      expect(current).toBeNull();
      current = { header: event.header, entries: [], closing: null };
    } else if (event.type === 'entry') {
      expect(current).not.toBeNull();
      current?.entries.push(event.entry);
    } else {
      expect(current).not.toBeNull();
      if (current) result.push({ ...current, closing: event.closing });
      current = null;
    }
  }
  expect(current).toBeNull();
  return result;
}

/** An OFX statement that lacks its currency and account (<STMTRS> opens on line 5). */
export const OFX_WITHOUT_ACCOUNT = `<?xml version="1.0" encoding="ASCII"?>
<?OFX OFXHEADER="200" VERSION="211" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>
<OFX>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>0</TRNUID>
<STMTRS>
<BANKTRANLIST><DTSTART>20130801</DTSTART><DTEND>20130831</DTEND>
<STMTTRN><TRNTYPE>POS</TRNTYPE><DTPOSTED>20130824</DTPOSTED><TRNAMT>-80</TRNAMT><FITID>1</FITID><NAME>A</NAME></STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
`;
