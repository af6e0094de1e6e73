import type { ColumnType, Generated } from 'kysely';

/** A bank account of the collective, known by its IBAN (or another number) and currency. */
export interface BankAccountsTable {
  id: Generated<number>;
  iban: string | null;
  number: string | null;
  bic: string | null;
  holder: string | null;
  currency: string;
  label: string | null;
  created_at: string;
}

/** One imported file: who, when, which format, its SHA-256 and the summary shown after the import. */
export interface BankImportsTable {
  id: Generated<number>;
  filename: string;
  format: string;
  sha256: string;
  account_id: number | null;
  imported_by: string;
  imported_at: string;
  summary_json: string;
}

/** A statement (or camt.054 notification) with its balances in minor units. */
export interface BankStatementsTable {
  id: Generated<number>;
  bank_account_id: number;
  import_id: number;
  statement_ref: string | null;
  statement_date: string | null;
  opening_cents: number | null;
  opening_date: string | null;
  closing_cents: number | null;
  closing_date: string | null;
  entries: number;
  /** 1 when opening + movements = closing, 0 when not, null when the file has no balances to check. */
  balance_ok: number | null;
}

/** A booked movement; `identity` is unique per account and makes re-imports add nothing. */
export interface BankTransactionsTable {
  id: Generated<number>;
  bank_account_id: number;
  statement_id: number | null;
  import_id: number;
  identity: string;
  booking_date: string;
  value_date: string | null;
  amount_cents: number;
  currency: string;
  counterparty_name: string | null;
  counterparty_iban: string | null;
  counterparty_account: string | null;
  counterparty_bic: string | null;
  structured_ref: string | null;
  communication: string | null;
  bank_ref: string | null;
  end_to_end_id: string | null;
  tx_id: string | null;
  /** Read as text; written as text or its UTF-8 bytes. */
  raw: ColumnType<string, string | Uint8Array, string>;
  created_at: string;
}

/** Saved column mappings for bank CSV exports (JSON of a CsvProfile). */
export interface BankCsvProfilesTable {
  name: string;
  profile_json: string;
}
