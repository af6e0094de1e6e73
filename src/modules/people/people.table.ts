import type { Generated } from 'kysely';

/** A person or an organisation in the register; deleted rows keep `deleted_at` for 30 days. */
export interface PeopleTable {
  id: Generated<number>;
  kind: 'individual' | 'organisation';
  display_name: string;
  sort_name: string | null;
  /** Lower-case, accent-free sort name (or display name) for ordering. */
  sort_key: string;
  /** Lower-case, accent-free names, e-mails, tags and notes for the search box. */
  search_text: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  phone: string | null;
  language: string | null;
  notes: string | null;
  joined_on: string | null;
  left_on: string | null;
  left_reason: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** E-mail addresses of a person, in order; one address may belong to several people. */
export interface PersonEmailsTable {
  id: Generated<number>;
  person_id: number;
  email: string;
  position: number;
  /** When the address was proven to reach its owner (a verification link was opened); null otherwise. */
  verified_at: Generated<string | null>;
}

/** Free tags of a person. */
export interface PersonTagsTable {
  person_id: number;
  tag: string;
}

/** Contact persons of an organisation. */
export interface PersonContactsTable {
  organisation_id: number;
  contact_id: number;
  role: string | null;
}
