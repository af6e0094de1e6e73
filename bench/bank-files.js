// Generators of the bank bench (`bank.js`): a register of people with some known IBANs, then a camt.053 file and a
// CODA 2.x file of many movements paying for them, written to disk in pieces (never the whole file in one string).
// Everything is deterministic (seeded PRNG), so runs compare.
import { closeSync, openSync, writeSync } from 'node:fs';
import { personReference } from '../dist/modules/dues/matcher.js';
import { personColumns } from '../dist/modules/people/people.service.js';
import { pick, prng, weighted } from './random.js';


// ---- people ------------------------------------------------------------------------------------------------

const FIRST = ['Hélène', 'Élodie', 'Chloé', 'Zoé', 'Léa', 'Noémie', 'Mélanie', 'Gaëlle', 'Anaïs', 'Jérôme', 'Frédéric', 'André', 'Benoît',
  'François', 'Loïc', 'Raphaël', 'Théo', 'Joël', 'Céline', 'Stéphane', 'Cédric', 'Aurélie', 'Sébastien', 'Émile', 'Agnès', 'Inès', 'Clément',
  'Valérie', 'Thérèse', 'René', 'Marie', 'Sophie', 'Camille', 'Julien', 'Nicolas', 'Pierre', 'Luc', 'Isabelle', 'Nathalie', 'Claire', 'Mathilde',
  'Hugo', 'Louis', 'Manon', 'Margaux', 'Timothée', 'Solène', 'Héloïse', 'Gérard', 'Anne-Sophie', 'Jean-François', 'Marie-Hélène', 'Jan', 'Pieter',
  'Joris', 'Sven', 'Maarten', 'Bram', 'Wouter', 'Lotte', 'Annelies', 'Fien', 'Els', 'Marieke', 'Sanne', 'Femke', 'Joke', 'Lieve', 'Griet', 'Koen',
  'Stijn', 'Geert', 'Dirk', 'Ruben', 'Jens', 'Wim', 'Hanne', 'Ine', 'Björn', 'Jonas', 'Lies', 'Tine', 'Bart', 'Kris', 'Hannelore', 'Ilse', 'Nele',
  'Sien', 'Wannes', 'Arne', 'Seppe', 'Gijs', 'Maaike', 'Anouk', 'Daan', 'Noor', 'Thijs', 'Eline', 'Joëlle', 'Yasmine', 'Karim', 'Fatima', 'Mehdi',
  'Aïcha', 'Youssef', 'Nour', 'Samir', 'Leila', 'Ahmed', 'Ana', 'João', 'Lucía', 'Matteo', 'Giulia', 'Tomasz', 'Katarzyna', 'Ioana', 'Andrei'];
const LAST = ['Dupont', 'Lambert', 'Dubois', 'Renard', 'Leclercq', 'Lemaire', 'Denis', 'Martin', 'Dumont', 'Simon', 'Laurent', 'Fontaine',
  'Bernard', 'Mathieu', 'Lefèvre', 'Lefebvre', 'Hébert', 'Moreau', 'Girard', 'Bonnet', 'Rousseau', 'Ménard', 'Lemaître', 'Cuvelier', 'Dethier',
  'Gillet', 'Collard', 'Piron', 'Delvaux', 'Leroy', 'Dewez', 'Jadot', 'Wéry', 'Frère', 'Pirlot', 'Lhoëst', 'Goffin', 'Lejeune', 'Thiry', 'Masson',
  'Delhaye', 'Closset', 'Dury', 'Bodart', 'Hénin', 'Lecocq', 'Brasseur', 'Château', 'Guérin', 'Évrard', 'Peeters', 'Janssens', 'Maes', 'Jacobs',
  'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Van den Broeck', 'Van de Velde', 'Vermeulen', 'De Clercq', 'Vandenberghe',
  'Van Damme', "D'Hondt", 'Verstraete', 'De Backer', 'Smets', 'Desmet', 'Hermans', 'Michiels', 'Coppens', 'Lenaerts', 'De Vos', 'Stevens',
  'Martens', 'Verhoeven', 'Geerts', 'Aerts', 'Van Dyck', 'Baert', 'Bogaert', 'Cools', 'Pauwels', 'Hanssens', 'Dewulf', 'Thys', 'De Wilde',
  'Verbruggen', 'Van Hoof', 'Segers', 'Van Acker', 'Dierckx', 'Vercammen', 'Vanhoutte', 'De Meyer', 'Bosmans', 'Heylen', 'Coenen', 'El Amrani',
  'Benali', 'Bouzid', 'Haddad', 'Silva', 'Pereira', 'García', 'Rossi', 'Nowak', 'Popescu'];
// Most Belgian surnames are rare: built from syllables, so that a register of thousands has few exact homonyms.
const HEAD = ['Van ', 'De ', 'Le ', 'Van der ', 'Ver', 'Van', 'Des', 'Du', '', '', '', '', '', '', '', ''];
const SYLLABLES = ['ber', 'ghe', 'dor', 'lé', 'quin', 'mar', 'tel', 'oot', 'dré', 'vil', 'lez', 'kaa', 'ruy', 'ssen', 'bro', 'eck', 'hau', 'zée',
  'wal', 'gnac', 'mont', 'ier', 'pen', 'duc', 'tiè', 'rix', 'cam', 'pin', 'hoe', 'vel', 'sta', 'nis', 'gaer', 'len', 'bois', 'ret', 'mol', 'lin'];
const ORG_PREFIX = ['ASBL', 'vzw', 'Coopérative', 'Collectif', 'Association', 'Maison de quartier', 'Repair Café', 'Atelier'];
const ORG_NAME = ['Les Amis de la Terre', 'Hackerspace', 'De Buurtwerking', 'Le Petit Théâtre', 'Vélo Solidaire', 'Groene Vingers', 'Radio Panik',
  'Les Ateliers Numériques', 'Open Knowledge', 'Het Wijkhuis', 'Le Jardin Partagé', 'Café Citoyen', 'Quartier Libre', 'Média Libre'];
const CITIES = [['Bruxelles', '1000', 'Belgique'], ['Liège', '4000', 'Belgique'], ['Namur', '5000', 'Belgique'], ['Gent', '9000', 'België'],
  ['Antwerpen', '2000', 'België'], ['Leuven', '3000', 'België'], ['Lille', '59000', 'France'], ['Charleroi', '6000', 'Belgique']];

function rareSurname(rand) {
  const body = `${pick(rand, SYLLABLES)}${pick(rand, SYLLABLES)}${rand() < 0.5 ? pick(rand, SYLLABLES) : ''}`;
  const head = pick(rand, HEAD);
  const word = head.endsWith(' ') || head === '' ? body[0].toUpperCase() + body.slice(1) : body;
  return `${head}${word}`;
}

/**
 * `count` people (ids 1..count): rows for `people` built by people.service's personColumns, and, for the payments,
 * each one's first name, surname and display name. About 6% are organisations.
 */
export function makePeople(count, seed = 7) {
  const rand = prng(seed);
  const people = [];
  const rows = [];
  const created = '2024-01-15T09:30:00.000Z';
  for (let id = 1; id <= count; id++) {
    const [city, postal, country] = pick(rand, CITIES);
    let person;
    if (rand() < 0.06) {
      const name = `${pick(rand, ORG_PREFIX)} ${pick(rand, ORG_NAME)} ${city}${rand() < 0.3 ? ` ${id}` : ''}`;
      person = { id, kind: 'organisation', first: '', last: '', display_name: name, sort_name: null };
    } else {
      const first = pick(rand, FIRST);
      const last = rand() < 0.35 ? pick(rand, LAST) : rareSurname(rand);
      person = { id, kind: 'individual', first, last, display_name: `${first} ${last}`, sort_name: rand() < 0.7 ? `${last}, ${first}` : null };
    }
    people.push(person);
    rows.push({
      id,
      ...personColumns({
        kind: person.kind, display_name: person.display_name, sort_name: person.sort_name, emails: [], tags: [], phone: null, notes: null,
        street: null, postal_code: postal, city, country, language: country === 'België' ? 'nl' : 'fr', joined_on: null, left_on: null, left_reason: null,
      }),
      created_at: created, updated_at: created, deleted_at: null,
    });
  }
  return { people, rows };
}

// ---- IBANs -------------------------------------------------------------------------------------------------

/** A valid Belgian IBAN for a ten-digit number (national check digits, then the IBAN's). */
export function belgianIban(first10) {
  const n = BigInt(first10);
  const national = Number(n % 97n) || 97;
  const bban = `${String(first10).padStart(10, '0')}${String(national).padStart(2, '0')}`;
  const check = 98n - (BigInt(`${bban}111400`) % 97n);
  return `BE${String(check).padStart(2, '0')}${bban}`;
}

/** The IBAN a person is known by in `person_ibans` (for the people who have one). */
export const knownIbanOf = (id) => belgianIban(6_000_000_000 + id);
/** The IBAN a person pays from when the register does not know it. */
const payerIbanOf = (id) => belgianIban(3_000_000_000 + id);
const BICS = ['GEBABEBB', 'GKCCBEBB', 'KREDBEBB', 'BBRUBEBB', 'TRIOBEBB', 'AXABBE22', 'ARSPBE22', 'NICABEBB'];

/** Every tenth person has a known IBAN (source 'manual'), rows for `person_ibans`. */
export function knownIbans(people) {
  return people.filter((p) => p.id % 10 === 3).map((p) => ({ person_id: p.id, iban: knownIbanOf(p.id), source: 'manual', created_at: '2024-02-01T10:00:00.000Z' }));
}

// ---- payments ----------------------------------------------------------------------------------------------

const DUES = [[1000, 10], [1500, 15], [2000, 25], [2500, 20], [3000, 10], [5000, 10], [4000, 5], [12000, 5]];
const DUES_TEXT = ['Cotisation 2025', 'cotisation annuelle', 'Lidgeld 2025', 'bijdrage 2025', 'membership fee', 'Cotisation', 'lidmaatschap', '',
  'cotisation membre', 'Jaarlijkse bijdrage'];
const STRANGERS = ['Kowalski Piotr', 'Schmidt Lukas', 'Novak Jana', 'Horváth Zsófia', 'Jensen Mikkel', 'Andersson Elsa', "O'Brien Siobhan",
  'Papadopoulos Nikos', 'Müller Jonas', 'Ivanova Olga', 'Boulangerie du Coin SRL', 'Stichting Open Web', 'Librairie Quartier Latin SA',
  'Fietsatelier Noord BV', 'Imprimerie Delta SCRL', 'Fondation pour le Libre', 'Nordic Hosting AB', 'Kaffeehaus Wien GmbH'];
const STRANGER_TEXT = ['Don', 'donation', 'Facture 2025-0042', 'remboursement frais', 'Gift', 'soutien au projet', 'Spende', 'Refund order 7781', ''];
const SUPPLIERS = [['OVH SAS', 'FR7630004000031234567890143'], ['Hetzner Online GmbH', 'DE89370400440532013000'], ['Belnet', belgianIban(7_000_000_001)],
  ['Proximus SA', belgianIban(7_000_000_002)], ['Gandi SAS', 'FR1420041010050500013M02606'], ['EDPnet', belgianIban(7_000_000_003)],
  ['Frais bancaires', null], ['Combell NV', belgianIban(7_000_000_004)], ['Leaseweb', 'NL91ABNA0417164300']];

function ascii(text) {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** A name as a bank writes it: as typed, upper case, surname first, with a title. */
function bankName(rand, person) {
  if (person.kind === 'organisation') return rand() < 0.5 ? person.display_name.toUpperCase() : person.display_name;
  const r = rand();
  if (r < 0.4) return person.display_name;
  if (r < 0.75) return ascii(`${person.last} ${person.first}`).toUpperCase();
  if (r < 0.9) return ascii(person.display_name).toUpperCase();
  return `${rand() < 0.5 ? 'M.' : 'Mme'} ${person.display_name}`;
}

/** The kinds of movements and their shares (the issue's mix). */
export const MIX = { reference: 0.4, name: 0.3, iban: 0.1, stranger: 0.08, debit: 0.12 };

/**
 * `count` movements paying for the people (lazy): ~40% with the payer's structured reference, ~30% named in the
 * counterparty with free text, ~10% from a known IBAN, the rest unknown payers (credits) and expenses (debits).
 */
export function* payments(people, count, seed) {
  const rand = prng(seed);
  const withIban = people.filter((p) => p.id % 10 === 3);
  for (let i = 0; i < count; i++) {
    const r = rand();
    if (r < MIX.reference) {
      const person = pick(rand, people);
      yield { kind: 'reference', personId: person.id, amount: weighted(rand, DUES)[0], name: bankName(rand, person), iban: payerIbanOf(person.id),
        bic: pick(rand, BICS), reference: personReference(person.id), text: null };
    } else if (r < MIX.reference + MIX.name) {
      const person = pick(rand, people);
      yield { kind: 'name', personId: person.id, amount: weighted(rand, DUES)[0], name: bankName(rand, person), iban: payerIbanOf(person.id),
        bic: pick(rand, BICS), reference: null, text: pick(rand, DUES_TEXT) || null };
    } else if (r < MIX.reference + MIX.name + MIX.iban) {
      const person = pick(rand, withIban);
      const other = rand() < 0.3 && person.kind === 'individual' ? `${pick(rand, FIRST)} ${person.last}` : null;
      yield { kind: 'iban', personId: person.id, amount: weighted(rand, DUES)[0], name: other ?? bankName(rand, person), iban: knownIbanOf(person.id),
        bic: pick(rand, BICS), reference: null, text: pick(rand, DUES_TEXT) || null };
    } else if (r < MIX.reference + MIX.name + MIX.iban + MIX.stranger) {
      const k = Math.floor(rand() * STRANGERS.length);
      yield { kind: 'stranger', personId: null, amount: 500 + Math.floor(rand() * 50_000), name: STRANGERS[k], iban: belgianIban(8_000_000_000 + k),
        bic: pick(rand, BICS), reference: null, text: pick(rand, STRANGER_TEXT) || null };
    } else {
      const [name, iban] = pick(rand, SUPPLIERS);
      yield { kind: 'debit', personId: null, amount: -(100 + Math.floor(rand() * 200_000)), name, iban, bic: iban ? 'BBRUBEBB' : null, reference: null,
        text: iban ? `Invoice ${2025}-${String(Math.floor(rand() * 100_000)).padStart(5, '0')}` : 'Frais de tenue de compte' };
    }
  }
}

/** Business days from 2025-01-02, one statement each. */
function statementDates(n) {
  const dates = [];
  for (let t = Date.UTC(2025, 0, 2); dates.length < n; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

/** Writes text to a file in pieces of about 1 MB. */
class Sink {
  constructor(path) {
    this.fd = openSync(path, 'w');
    this.parts = [];
    this.size = 0;
    this.bytes = 0;
  }

  write(text) {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }

  flush() {
    const buffer = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buffer);
    this.bytes += buffer.length;
    this.parts = [];
    this.size = 0;
  }

  close() {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

/** Counts of what a file holds, by kind of movement. */
function tally(stats, p) {
  stats.entries++;
  stats[p.kind] = (stats[p.kind] ?? 0) + 1;
  if (p.amount > 0) stats.credits++;
  else stats.debits++;
}

// ---- camt.053 ----------------------------------------------------------------------------------------------

/**
 * Statement `s`'s share of the payments, with its opening and closing balances. One statement's movements are held
 * (to write its balances first), never the whole file's.
 */
function statementPayments(source, entries, statements, s, opening) {
  const batch = [];
  const share = Math.floor(entries / statements) + (s < entries % statements ? 1 : 0);
  for (let k = 0; k < share; k++) batch.push(source.next().value);
  let closing = opening;
  for (const p of batch) closing += p.amount;
  return { batch, opening, closing };
}

export const CAMT_ACCOUNT = 'BE71096123456769';
const OPENING_CENTS = 1_234_567_89;

const xml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const money = (cents) => `${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

function camtEntry(p, date, ref) {
  const credit = p.amount > 0;
  const indicator = credit ? 'CRDT' : 'DBIT';
  const [payer, payee] = credit ? ['Dbtr', 'Cdtr'] : ['Cdtr', 'Dbtr'];
  const party = [
    `<${payer}>`, `<Pty>`, `<Nm>${xml(p.name)}</Nm>`, `</Pty>`, `</${payer}>`,
  ];
  if (p.iban) party.push(`<${payer}Acct>`, `<Id>`, `<IBAN>${p.iban}</IBAN>`, `</Id>`, `</${payer}Acct>`);
  party.push(`<${payee}>`, `<Pty>`, `<Nm>RUCHE ASBL</Nm>`, `</Pty>`, `</${payee}>`,
    `<${payee}Acct>`, `<Id>`, `<IBAN>${CAMT_ACCOUNT}</IBAN>`, `</Id>`, `</${payee}Acct>`);
  const remittance = p.reference
    ? [`<Strd>`, `<CdtrRefInf>`, `<Tp>`, `<CdOrPrtry>`, `<Cd>SCOR</Cd>`,
      `</CdOrPrtry>`, `<Issr>BBA</Issr>`, `</Tp>`,
      `<Ref>${p.reference.length === 12 && ref % 2 === 0 ? `+++${p.reference.slice(0, 3)}/${p.reference.slice(3, 7)}/${p.reference.slice(7)}+++` : p.reference}</Ref>`,
      `</CdtrRefInf>`, `</Strd>`]
    : p.text ? [`<Ustrd>${xml(p.text)}</Ustrd>`] : [];
  return [
    `<Ntry>`,
    `<NtryRef>${ref}</NtryRef>`,
    `<Amt Ccy="EUR">${money(p.amount)}</Amt>`,
    `<CdtDbtInd>${indicator}</CdtDbtInd>`,
    `<Sts>`, `<Cd>BOOK</Cd>`, `</Sts>`,
    `<BookgDt>`, `<Dt>${date}</Dt>`, `</BookgDt>`,
    `<ValDt>`, `<Dt>${date}</Dt>`, `</ValDt>`,
    `<AcctSvcrRef>RUCHE${date.replace(/-/g, '')}${String(ref).padStart(7, '0')}</AcctSvcrRef>`,
    `<BkTxCd>`, `<Domn>`, `<Cd>PMNT</Cd>`, `<Fmly>`, `<Cd>${credit ? 'RCDT' : 'ICDT'}</Cd>`,
    `<SubFmlyCd>ESCT</SubFmlyCd>`, `</Fmly>`, `</Domn>`, `</BkTxCd>`,
    `<NtryDtls>`, `<TxDtls>`,
    `<Refs>`, `<EndToEndId>${ref % 3 === 0 ? 'NOTPROVIDED' : `E2E-${ref}`}</EndToEndId>`, `<TxId>TX${ref}</TxId>`, `</Refs>`,
    `<Amt Ccy="EUR">${money(p.amount)}</Amt>`,
    `<CdtDbtInd>${indicator}</CdtDbtInd>`,
    `<RltdPties>`, ...party, `</RltdPties>`,
    ...(p.bic ? [`<RltdAgts>`, `<${payer}Agt>`, `<FinInstnId>`, `<BICFI>${p.bic}</BICFI>`,
      `</FinInstnId>`, `</${payer}Agt>`, `</RltdAgts>`] : []),
    ...(remittance.length ? [`<RmtInf>`, ...remittance, `</RmtInf>`] : []),
    `</TxDtls>`, `</NtryDtls>`,
    `</Ntry>`, '',
  ].join('\n');
}

function camtBalance(code, cents, date) {
  return [`<Bal>`, `<Tp>`, `<CdOrPrtry>`, `<Cd>${code}</Cd>`, `</CdOrPrtry>`, `</Tp>`,
    `<Amt Ccy="EUR">${money(cents)}</Amt>`, `<CdtDbtInd>${cents < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd>`,
    `<Dt>`, `<Dt>${date}</Dt>`, `</Dt>`, `</Bal>`, ''].join('\n');
}

/** Writes a camt.053.001.08 file of `entries` booked entries in `statements` daily statements; returns what it holds. */
export function writeCamt(path, people, { entries = 100_000, statements = 100, seed = 1001 } = {}) {
  const sink = new Sink(path);
  const dates = statementDates(statements);
  const source = payments(people, entries, seed);
  const stats = { entries: 0, credits: 0, debits: 0, statements, bytes: 0 };
  let balance = OPENING_CENTS;
  let ref = 0;
  sink.write(`<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n<BkToCstmrStmt>\n`);
  sink.write(`<GrpHdr>\n<MsgId>RUCHE-BENCH-${seed}</MsgId>\n<CreDtTm>2025-06-30T18:00:00</CreDtTm>\n</GrpHdr>\n`);
  for (let s = 0; s < statements; s++) {
    const { batch, opening, closing } = statementPayments(source, entries, statements, s, balance);
    balance = closing;
    const date = dates[s];
    sink.write([`<Stmt>`, `<Id>RUCHE-${date}</Id>`, `<ElctrncSeqNb>${s + 1}</ElctrncSeqNb>`, `<CreDtTm>${date}T20:00:00</CreDtTm>`,
      `<FrToDt>`, `<FrDtTm>${date}T00:00:00</FrDtTm>`, `<ToDtTm>${date}T23:59:59</ToDtTm>`, `</FrToDt>`,
      `<Acct>`, `<Id>`, `<IBAN>${CAMT_ACCOUNT}</IBAN>`, `</Id>`, `<Ccy>EUR</Ccy>`, `<Ownr>`,
      `<Nm>RUCHE ASBL</Nm>`, `</Ownr>`, `<Svcr>`, `<FinInstnId>`, `<BICFI>GKCCBEBB</BICFI>`,
      `</FinInstnId>`, `</Svcr>`, `</Acct>`, ''].join('\n'));
    sink.write(camtBalance('OPBD', opening, date));
    sink.write(camtBalance('CLBD', balance, date));
    for (const p of batch) {
      tally(stats, p);
      sink.write(camtEntry(p, date, ++ref));
    }
    sink.write(`</Stmt>\n`);
  }
  sink.write(`</BkToCstmrStmt>\n</Document>\n`);
  stats.bytes = sink.close();
  return stats;
}

// ---- CODA 2.x ----------------------------------------------------------------------------------------------

export const CODA_ACCOUNT = 'BE68539007547034';

/** A 128-character record with each text at its 1-based position (the standard's tables). */
function record(fields) {
  const chars = new Array(128).fill(' ');
  for (const [position, text] of fields) {
    for (let i = 0; i < text.length && position - 1 + i < 128; i++) chars[position - 1 + i] = text[i];
  }
  return chars.join('');
}

const ddmmyy = (iso) => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}`;
/** Sign (0 credit, 1 debit) then 15 digits with 3 decimals. */
const codaAmount = (cents) => `${cents < 0 ? '1' : '0'}${String(Math.abs(cents) * 10).padStart(15, '0')}`;

/** One movement: records 2.1, 2.2 and 2.3, with the communication cut over their 53 + 53 + 43 characters. */
function codaMovement(p, seq, date, paper) {
  const s = String(seq).padStart(4, '0');
  const structured = p.reference !== null;
  const zone = (structured ? `101${p.reference}` : (p.text ?? '')).padEnd(149, ' ');
  const code = p.amount > 0 ? '00150000' : '00101000';
  const r21 = record([[1, `21${s}0000`], [11, `B5${date.replace(/-/g, '')}${s}BKT`], [32, codaAmount(p.amount)], [48, ddmmyy(date)], [54, code],
    [62, structured ? '1' : '0'], [63, zone.slice(0, 53)], [116, ddmmyy(date)], [122, paper], [125, '01'], [128, '0']]);
  const r22 = record([[1, `22${s}0000`], [11, zone.slice(53, 106)], [64, seq % 3 === 0 ? 'NOTPROVIDED' : `E2E-${paper}-${s}`], [99, p.bic ?? ''],
    [126, '1'], [128, '0']]);
  const r23 = record([[1, `23${s}0000`], [11, p.iban ? `${p.iban.padEnd(34, ' ')}EUR` : ''], [48, p.name.slice(0, 35)], [83, zone.slice(106, 149)],
    [126, '0'], [128, '0']]);
  return `${r21}\n${r22}\n${r23}\n`;
}

/** Writes a CODA 2.x file of `entries` movements (records 0, 1, 2.1/2.2/2.3, 8, 9) in `statements` statements. */
export function writeCoda(path, people, { entries = 100_000, statements = 100, seed = 2002 } = {}) {
  if (Math.ceil(entries / statements) > 9999) throw new Error('CODA sequence numbers have 4 digits: use more statements');
  const sink = new Sink(path);
  const dates = statementDates(statements);
  const source = payments(people, entries, seed);
  const stats = { entries: 0, credits: 0, debits: 0, statements, bytes: 0 };
  let balance = OPENING_CENTS;
  let records = 0;
  let debit = 0;
  let credit = 0;
  const line = (text) => {
    records++;
    sink.write(`${text}\n`);
  };
  line(record([[1, `00000${ddmmyy(dates.at(-1))}72505`], [24, 'BENCH0001'], [35, 'RUCHE ASBL'], [61, 'GKCCBEBB'], [72, '00412345678'], [128, '2']]));
  for (let s = 0; s < statements; s++) {
    const { batch, opening, closing } = statementPayments(source, entries, statements, s, balance);
    balance = closing;
    const date = dates[s];
    const paper = String(s + 1).padStart(3, '0');
    const previous = s === 0 ? '311224' : ddmmyy(dates[s - 1]);
    line(record([[1, `12${paper}`], [6, CODA_ACCOUNT], [40, 'EUR'], [43, codaAmount(opening)], [59, previous], [65, 'RUCHE ASBL'],
      [91, 'Compte courant'], [126, paper]]));
    batch.forEach((p, k) => {
      tally(stats, p);
      if (p.amount < 0) debit -= p.amount;
      else credit += p.amount;
      const text = codaMovement(p, k + 1, date, paper);
      records += 2;
      line(text.slice(0, -1));
    });
    line(record([[1, `8${paper}`], [5, `${CODA_ACCOUNT}`], [39, 'EUR'], [42, codaAmount(balance)], [58, ddmmyy(date)], [128, '0']]));
  }
  const count = String(records - 1).padStart(6, '0');
  line(record([[1, '9'], [17, count], [23, String(debit * 10).padStart(15, '0')], [38, String(credit * 10).padStart(15, '0')], [128, '2']]));
  stats.bytes = sink.close();
  return stats;
}
