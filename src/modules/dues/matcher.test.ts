import { describe, expect, it } from 'vitest';
import { runStepsInSlices } from '../../core/steps.js';
import { formatBelgianReference, rfReferenceFor } from '../bank/references.js';
import { buildMatchIndex, MATCH_REASON_KEYS, matchCredit, matchCredits, matchIndexing, personIdFromReference, personReference } from './matcher.js';
import type { Directory, DirectoryPerson, MatchInput, MatchProposal } from './matcher.types.js';
import { nameTokens, organisationKey } from './names.js';
import { correctionsOf, referencesInText } from './text-references.js';

function person(id: number, displayName: string, sortName: string | null, kind: DirectoryPerson['kind'] = 'individual', usualAmounts: number[] = []): DirectoryPerson {
  return { id, kind, displayName, sortName, reference: personReference(id), usualAmounts };
}

const COUPLE_IBAN = 'BE68 5390 0754 7034';
const PEETERS_IBAN = 'BE71096123456769';
const DUBOIS_IBAN = 'BE62510007547061';
const DUPONT_3_IBAN = 'BE43068999999501';

const directory: Directory = {
  people: [
    person(1, 'Alice Martin', 'Martin, Alice', 'individual', [2500]),
    person(2, 'Bob Martin', 'Martin, Bob', 'individual', [2500]),
    person(3, 'Jean Dupont', 'Dupont, Jean', 'individual', [2000]),
    person(4, 'Jean Dupont', 'Dupont, Jean', 'individual', [3000]),
    person(5, 'Hélène Lefèvre', 'Lefèvre, Hélène'),
    person(6, 'Jean-Pierre Van den Bossche', 'Van den Bossche, Jean-Pierre'),
    person(7, 'Les Amis du Libre asbl', null, 'organisation', [10000]),
    person(8, 'Marc Peeters', 'Peeters, Marc'),
    person(9, 'Lucas Peeters', 'Peeters, Lucas'),
    person(10, 'Marie Dupont', 'Dupont, Marie'),
    person(11, "Anne D'Hondt", null),
    person(12, 'Hackerspace Gent vzw', null, 'organisation'),
    person(13, 'Sophie Dubois', 'Dubois, Sophie'),
    person(14, 'Ubik asbl', null, 'organisation'),
    person(15, 'Jean-Baptiste Ter Beek', null),
    person(16, 'Émile Ter Beek', null),
  ],
  ibans: new Map([
    ['BE68539007547034', [1, 2]],
    [PEETERS_IBAN, [8]],
    [DUBOIS_IBAN, [13]],
    [DUPONT_3_IBAN, [3]],
    ['BE00000000000000', [999]], // a deleted person: ignored
  ]),
};
const index = buildMatchIndex(directory);

function credit(fields: Partial<MatchInput>): MatchInput {
  return { amount: 2500, currency: 'EUR', bookingDate: '2024-03-01', counterpartyName: null, counterpartyIban: null, structuredReference: null, communication: null, ...fields };
}

function match(fields: Partial<MatchInput>): MatchProposal {
  return matchCredit(credit(fields), index);
}

function people(proposal: MatchProposal): number[] {
  return proposal.shares.map((s) => s.personId);
}

describe('matcher: the register index', () => {
  it('is the same whether built at once or a slice at a time (as an import builds it)', async () => {
    const many: Directory = {
      people: [...directory.people, ...Array.from({ length: 450 }, (_, i) => person(100 + i, `Personne${i % 37} Nom${i}`, `Nom${i}, Personne${i % 37}`, i % 9 ? 'individual' : 'organisation'))],
      ibans: directory.ibans,
    };
    const sliced = await runStepsInSlices(matchIndexing(many), 0);
    expect(sliced).toEqual(buildMatchIndex(many));
    expect(sliced.names.people.size).toBe(many.people.length);
    expect(matchCredit(credit({ counterpartyName: 'NOM449 PERSONNE5' }), sliced)).toMatchObject({ automatic: true, shares: [{ personId: 549 }] });
  });
});

describe('payment references of people', () => {
  it('are ten digits starting with 9 (9 then the id on nine digits) and the mod-97 check, and decode back', () => {
    expect(personReference(42)).toBe('900000004257');
    expect(formatBelgianReference(personReference(42))).toBe('+++900/0000/04257+++');
    expect(personIdFromReference('900000004257')).toBe(42);
    expect(personIdFromReference('+++900/0000/04257+++')).toBe(42);
    expect(personIdFromReference('900000004258')).toBeNull(); // wrong checksum
    expect(personIdFromReference('000000004242')).toBeNull(); // valid, but not one of ours
    expect(personIdFromReference(personReference(999_999_999))).toBe(999_999_999);
    expect(() => personReference(0)).toThrow(RangeError);
    expect(() => personReference(1_000_000_000)).toThrow(RangeError);
  });
});

describe('matcher: references', () => {
  it('assigns a valid structured reference automatically (Belgian digits, formatted, or RF)', () => {
    for (const field of [personReference(5), formatBelgianReference(personReference(5)), rfReferenceFor(personReference(5))]) {
      const proposal = match({ structuredReference: field, counterpartyName: 'Someone Else' });
      expect(proposal).toMatchObject({ automatic: true, confidence: 100, evidence: ['reference'], shares: [{ personId: 5, amount: 2500 }] });
      expect(proposal.reason).toEqual({ key: 'dues.reason.reference', params: { reference: '+++900/0000/00520+++', name: 'Hélène Lefèvre' } });
    }
  });

  it('finds a reference typed in the communication in every usual style', () => {
    const styles = ['+++900/0000/00520+++', '***900/0000/00520***', '900/0000/00520', '900 0000 00520', '900000000520', '9000000005 20', '900.0000.00520', 'RF75 9000 0000 0520'];
    expect(rfReferenceFor(personReference(5))).toBe('RF75 9000 0000 0520');
    for (const style of styles) {
      const proposal = match({ communication: `cotisation 2024 ${style} merci` });
      expect(proposal, style).toMatchObject({ automatic: true, confidence: 95, evidence: ['reference_text'], shares: [{ personId: 5 }] });
      expect(proposal.reason.key).toBe('dues.reason.reference_text');
    }
  });

  it('reads a reference typed in the counterparty name field too', () => {
    expect(match({ counterpartyName: '+++900/0000/00520+++' })).toMatchObject({ automatic: true, shares: [{ personId: 5 }] });
  });

  it('ignores valid references that are not ours, and those of unknown people', () => {
    expect(match({ structuredReference: '000000004242' }).automatic).toBe(false);
    expect(match({ structuredReference: personReference(500) }).automatic).toBe(false);
  });

  it('never trusts a wrong checksum alone: review, with the people one typo away proposed', () => {
    // 900000000521 is one typo from person 5 (check digits) and from person 6 (last digit of the id): both are proposed.
    for (const typo of ['900000000521', '900000005020', '90000000520']) {
      const proposal = match({ communication: `cotisation ${typo}`, counterpartyName: 'Parent Inconnu' });
      expect(proposal.automatic, typo).toBe(false);
      expect([...people(proposal), ...proposal.alternatives], typo).toContain(5);
      expect(proposal.reason.key).toBe('dues.reason.bad_checksum');
      expect(proposal.evidence).toContain('reference_bad_checksum');
    }
  });

  it('accepts a wrong checksum that another piece of evidence confirms (name or IBAN)', () => {
    const named = match({ communication: '+++900/0000/00521+++', counterpartyName: 'LEFEVRE HELENE' });
    expect(named).toMatchObject({ automatic: true, shares: [{ personId: 5 }], evidence: ['reference_bad_checksum', 'name'] });
    expect(named.reason.key).toBe('dues.reason.bad_checksum_confirmed');
    const typoFor13 = personReference(13).slice(0, 11) + ((Number(personReference(13)[11]) + 1) % 10);
    const byIban = match({ communication: typoFor13, counterpartyIban: DUBOIS_IBAN });
    expect(byIban).toMatchObject({ automatic: true, shares: [{ personId: 13 }], evidence: ['reference_bad_checksum', 'iban'] });
  });

  it('proposes the one person a typo away', () => {
    const proposal = match({ communication: '900000005020' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 5 }] });
    expect(proposal.reason).toEqual({ key: 'dues.reason.bad_checksum', params: { reference: '900000005020', names: 'Hélène Lefèvre' } });
  });

  it('sends a wrong checksum contradicted by the name to review', () => {
    const proposal = match({ communication: '+++900/0000/00521+++', counterpartyName: 'Sophie Dubois' });
    expect(proposal.automatic).toBe(false);
    expect(proposal.alternatives).toContain(13);
  });

  it('sends a valid reference to review when the communication names someone else', () => {
    const proposal = match({ structuredReference: personReference(5), communication: 'cotisation Sophie Dubois' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 5 }], alternatives: [13] });
    expect(proposal.reason.key).toBe('dues.reason.reference_conflict');
  });

  it("sends a parent's own reference to review when the communication gives a child's first name", () => {
    const proposal = match({ structuredReference: personReference(8), communication: 'lidgeld Lucas' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 8 }], alternatives: [9] });
  });

  it('proposes a split when two valid references are typed', () => {
    const proposal = match({ amount: 5000, communication: `${personReference(1)} ${personReference(2)}` });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 1, amount: 2500 }, { personId: 2, amount: 2500 }] });
  });
});

describe('matcher: IBANs', () => {
  it('assigns an IBAN known for one person automatically', () => {
    const proposal = match({ counterpartyIban: 'be62 5100 0754 7061', counterpartyName: 'S DUBOIS', communication: 'cotisation 2024' });
    expect(proposal).toMatchObject({ automatic: true, confidence: 90, evidence: ['iban'], shares: [{ personId: 13 }] });
    expect(proposal.reason).toEqual({ key: 'dues.reason.iban', params: { name: 'Sophie Dubois', iban: DUBOIS_IBAN } });
  });

  it('proposes a split for an IBAN shared by a couple, equal shares with the remainder on the first', () => {
    const proposal = match({ amount: 5001, counterpartyIban: COUPLE_IBAN, counterpartyName: 'MARTIN ALICE', communication: 'cotisation 2024' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 1, amount: 2501 }, { personId: 2, amount: 2500 }] });
    expect(proposal.reason.key).toBe('dues.reason.iban_shared');
  });

  it('assigns a shared IBAN automatically when the communication names exactly one of them', () => {
    expect(match({ counterpartyIban: COUPLE_IBAN, communication: 'cotisation Bob' })).toMatchObject({ automatic: true, shares: [{ personId: 2 }] });
    expect(match({ counterpartyIban: COUPLE_IBAN, communication: 'cotisation Bob Martin' })).toMatchObject({ automatic: true, shares: [{ personId: 2 }] });
    expect(match({ counterpartyIban: COUPLE_IBAN, communication: 'cotisation Alice et Bob' }).automatic).toBe(false);
    expect(match({ counterpartyIban: COUPLE_IBAN, communication: 'cotisation Alice et Lucas' }).automatic).toBe(false); // someone else too
  });

  it('sends an IBAN to review when the counterparty is another member', () => {
    const proposal = match({ counterpartyIban: DUBOIS_IBAN, counterpartyName: 'Hélène Lefèvre' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 13 }], alternatives: [5] });
    expect(proposal.reason.key).toBe('dues.reason.iban_conflict');
  });

  it('names homonyms once, with their number, when the payer is someone else than the IBAN says', () => {
    const proposal = match({ counterpartyIban: DUBOIS_IBAN, counterpartyName: 'Jean Dupont' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 13 }], alternatives: [3, 4] });
    expect(proposal.reason).toEqual({ key: 'dues.reason.iban_conflict', params: { iban: 'BE62510007547061', name: 'Sophie Dubois', other: 'Jean Dupont (×2)' } });
  });

  it('keeps a learned IBAN for a household account, unless the household has other members', () => {
    expect(match({ counterpartyIban: DUBOIS_IBAN, counterpartyName: 'Famille Dubois' })).toMatchObject({ automatic: true, shares: [{ personId: 13 }] });
    const peeters = match({ counterpartyIban: PEETERS_IBAN, counterpartyName: 'Familie Peeters' });
    expect(peeters.automatic).toBe(false);
    expect(peeters.reason.key).toBe('dues.reason.household');
  });

  it("sends the parent's IBAN to review when the communication gives a child's first name", () => {
    const proposal = match({ counterpartyIban: PEETERS_IBAN, counterpartyName: 'PEETERS MARC', communication: 'lidgeld Lucas' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 9 }], alternatives: [8] });
    expect(proposal.reason.key).toBe('dues.reason.relative');
    const stranger = match({ counterpartyIban: PEETERS_IBAN, communication: 'cotisation Sophie' });
    expect(stranger).toMatchObject({ automatic: false, shares: [{ personId: 8 }] });
    expect(stranger.reason.key).toBe('dues.reason.other_first_name');
    expect(match({ counterpartyIban: PEETERS_IBAN, communication: 'cotisation Marc' }).automatic).toBe(true);
  });
});

describe('matcher: names', () => {
  it('assigns a unique full name in the counterparty: accents, case, order, hyphens, particles, apostrophes, titles', () => {
    const cases: Array<[string, number]> = [
      ['Hélène Lefèvre', 5], ['LEFEVRE HELENE', 5], ['lefèvre hélène', 5], ['Mme Hélène Lefèvre', 5],
      ['JEAN PIERRE VAN DEN BOSSCHE', 6], ['VANDENBOSSCHE JEAN-PIERRE', 6], ['Van den Bossche Jean Pierre', 6],
      ['DHONDT ANNE', 11], ["Anne D'Hondt", 11], ['D HONDT ANNE', 11], ['Martin Alice', 1],
    ];
    for (const [name, id] of cases) {
      const proposal = match({ counterpartyName: name, communication: 'cotisation 2024' });
      expect(proposal, name).toMatchObject({ automatic: true, confidence: 85, shares: [{ personId: id }] });
      expect(proposal.evidence[0]).toBe('name');
      expect(proposal.reason.key).toBe('dues.reason.name');
    }
  });

  it('never guesses between homonyms: review with all of them as alternatives', () => {
    for (const name of ['Jean Dupont', 'DUPONT JEAN']) {
      const proposal = match({ counterpartyName: name, amount: 9999 });
      expect(proposal).toMatchObject({ automatic: false, shares: [], alternatives: [3, 4] });
      expect(proposal.reason).toEqual({ key: 'dues.reason.homonyms', params: { name: 'Jean Dupont', count: 2 } });
    }
    expect(match({ communication: 'cotisation Jean Dupont' }).automatic).toBe(false);
  });

  it('never lets a known IBAN guess between homonyms named in the communication (a father paying for his son of the same name)', () => {
    for (const communication of ['cotisation Jean Dupont', 'cotisation pour mon fils Jean Dupont, Namur']) {
      const proposal = match({ communication, counterpartyName: 'DUPONT JEAN', counterpartyIban: DUPONT_3_IBAN });
      expect(proposal).toMatchObject({ automatic: false, shares: [], alternatives: [3, 4], reason: { key: 'dues.reason.homonyms' } });
    }
    // Nothing named in the communication: the known IBAN tells the payer from the namesake.
    expect(match({ communication: 'cotisation', counterpartyName: 'DUPONT JEAN', counterpartyIban: DUPONT_3_IBAN })).toMatchObject({ automatic: true, shares: [{ personId: 3 }] });
  });

  it('puts the homonym whose usual amount matches first, without deciding', () => {
    const proposal = match({ counterpartyName: 'Jean Dupont', amount: 3000 });
    expect(proposal).toMatchObject({ automatic: false, shares: [], alternatives: [4, 3] });
    expect(proposal.evidence).toContain('amount');
  });

  it('treats initials as candidates for review only', () => {
    const proposal = match({ counterpartyName: 'J.-P. VAN DEN BOSSCHE' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 6 }], evidence: ['initials'] });
    expect(proposal.reason.key).toBe('dues.reason.initials');
    const martin = match({ counterpartyName: 'A. MARTIN' });
    expect(martin).toMatchObject({ automatic: false, shares: [{ personId: 1 }] });
    expect(match({ counterpartyName: 'Martin A' }).automatic).toBe(false);
  });

  it('proposes the household for titles and family words, for review', () => {
    for (const name of ['M. et Mme Martin', 'Mr & Mrs Martin', 'Famille Martin', 'MARTIN M. ET MME']) {
      const proposal = match({ amount: 5000, counterpartyName: name });
      expect(proposal.automatic, name).toBe(false);
      expect(people(proposal).sort(), name).toEqual([1, 2]);
      expect(proposal.reason.key).toBe('dues.reason.household');
    }
    for (const name of ['Dhr. en Mevr. Peeters', 'Familie Peeters']) {
      const proposal = match({ counterpartyName: name });
      expect(proposal.automatic, name).toBe(false);
      expect([...proposal.shares.map((s) => s.personId), ...proposal.alternatives].sort()).toEqual([8, 9]);
    }
    expect(match({ counterpartyName: 'M. et Mme Bob Martin' }).automatic).toBe(false);
  });

  it('proposes a split when the communication names several people', () => {
    for (const text of ['cotisation Alice et Bob Martin', 'Alice & Bob Martin', 'lidgeld Alice en Bob Martin', 'cotisation Alice Martin et Bob Martin', 'Martin Bob et Alice']) {
      const proposal = match({ amount: 5000, communication: text, counterpartyName: 'MARTIN ALICE' });
      expect(proposal.automatic, text).toBe(false);
      expect(proposal.shares.map((s) => [s.personId, s.amount]).sort(), text).toEqual([[1, 2500], [2, 2500]]);
      expect(proposal.reason.key).toBe('dues.reason.names_split');
    }
  });

  it('splits between two people of a household even without sort names (the surname read every way)', () => {
    const proposal = match({ amount: 3000, communication: 'cotis. Jean-Baptiste & Émile Ter Beek 2024', counterpartyName: 'TER BEEK JEAN-BAPTISTE' });
    expect(proposal.automatic).toBe(false);
    expect(proposal.shares).toEqual([{ personId: 15, amount: 1500 }, { personId: 16, amount: 1500 }]);
  });

  it('assigns to the person named in the communication, not the payer (a parent paying for a child)', () => {
    const child = match({ counterpartyName: 'Peeters Marc', communication: 'cotisation Lucas Peeters', counterpartyIban: PEETERS_IBAN });
    expect(child).toMatchObject({ automatic: true, shares: [{ personId: 9 }], evidence: ['name'] });
    expect(child.reason).toEqual({ key: 'dues.reason.name_in_communication', params: { name: 'Lucas Peeters' } });
    const marie = match({ counterpartyName: 'Jean Dupont', communication: 'cotisation de Marie Dupont' });
    expect(marie).toMatchObject({ automatic: true, shares: [{ personId: 10 }] });
  });

  it('ignores legal forms of organisations, spelled in any way', () => {
    for (const name of ['LES AMIS DU LIBRE A.S.B.L.', 'ASBL Les Amis du Libre', 'Les Amis du Libre', 'les amis du libre asbl']) {
      expect(match({ counterpartyName: name }), name).toMatchObject({ automatic: true, shares: [{ personId: 7 }] });
    }
    for (const name of ['V.Z.W. HACKERSPACE GENT', 'Hackerspace Gent VZW', 'HACKERSPACE GENT']) {
      expect(match({ counterpartyName: name }), name).toMatchObject({ automatic: true, shares: [{ personId: 12 }] });
    }
    expect(match({ counterpartyName: 'UBIK A.S.B.L.' })).toMatchObject({ automatic: true, shares: [{ personId: 14 }] });
    expect(match({ communication: 'ubik' }).automatic).toBe(false); // a short name inside a text is not enough
  });

  it('does not take a longer name for a member (Alice Martin-Dubois, Anne-Alice Martin)', () => {
    for (const name of ['ALICE MARTIN-DUBOIS', 'Alice Martin Dubois', 'Marie-Alice Martin']) {
      expect(match({ counterpartyName: name }).automatic, name).toBe(false);
    }
    expect(match({ communication: 'cotisation Alice Martin Dubois' }).automatic).toBe(false);
  });

  it('never decides on the amount alone', () => {
    expect(match({ amount: 10000, counterpartyName: 'Inconnu', communication: 'cotisation' })).toMatchObject({ automatic: false, shares: [], alternatives: [] });
  });
});

describe('matcher: what is not a member payment', () => {
  it('never allocates a debit, even with a reference or a name', () => {
    const proposal = match({ amount: -2500, structuredReference: personReference(5), counterpartyName: 'Hélène Lefèvre', counterpartyIban: DUBOIS_IBAN });
    expect(proposal).toEqual({ shares: [], confidence: 0, automatic: false, evidence: [], reason: { key: 'dues.reason.debit', params: {} }, alternatives: [], payerFor: null });
    expect(match({ amount: 0 }).reason.key).toBe('dues.reason.debit');
  });

  it('names the payer\'s IBAN to remember only when a sure match is for someone the payer evidently is not', () => {
    const OTHER_IBAN = 'BE31 0682 3111 5555';
    // Someone else's account, Hélène named by the communication or her reference: remembered for her.
    expect(match({ counterpartyName: 'Paul Nouveau', counterpartyIban: OTHER_IBAN, communication: 'cotisation Hélène Lefèvre' })).toMatchObject({ automatic: true, shares: [{ personId: 5 }], payerFor: 'BE31068231115555' });
    expect(match({ counterpartyName: 'Paul Nouveau', counterpartyIban: OTHER_IBAN, structuredReference: personReference(5) })).toMatchObject({ automatic: true, payerFor: 'BE31068231115555' });
    // Her own account, an IBAN already known for her, no IBAN, no payer's name, or a proposal for review: nothing to learn.
    expect(match({ counterpartyName: 'LEFEVRE HELENE', counterpartyIban: OTHER_IBAN, structuredReference: personReference(5) })).toMatchObject({ automatic: true, payerFor: null });
    expect(match({ counterpartyName: 'Sophie Dubois', counterpartyIban: DUBOIS_IBAN, communication: 'cotisation Sophie Dubois' }).payerFor).toBeNull();
    expect(match({ counterpartyName: 'Paul Nouveau', structuredReference: personReference(5) }).payerFor).toBeNull();
    expect(match({ counterpartyIban: OTHER_IBAN, structuredReference: personReference(5) }).payerFor).toBeNull();
    expect(match({ counterpartyName: 'Paul Nouveau', counterpartyIban: OTHER_IBAN, communication: 'cotisation Jean Dupont' })).toMatchObject({ automatic: false, payerFor: null });
  });

  it('remembers a payer with the same surname as paying for someone else, unless the payer\'s name names that person', () => {
    const family = buildMatchIndex({
      people: [person(21, 'Emma Lambert', 'Lambert, Emma'), person(22, 'Jan Lambert', 'Lambert, Jan'), person(23, 'Li Martin', 'Martin, Li'), person(24, 'Marie Dupont', 'Dupont, Marie'), person(25, 'Zoé Li', 'Li, Zoé')],
      ibans: new Map(),
    });
    const IBAN = 'BE31068231115555';
    const payerFor = (counterpartyName: string, id: number) => {
      const proposal = matchCredit(credit({ counterpartyName, counterpartyIban: IBAN, structuredReference: personReference(id) }), family);
      expect(proposal, counterpartyName).toMatchObject({ automatic: true, shares: [{ personId: id }] });
      return proposal.payerFor;
    };
    // A parent, a partner, a namesake: the surname alone does not make the payer the person.
    for (const payer of ['Jan Lambert', 'LAMBERT JAN', 'J. Lambert', 'Pierre Lambert']) expect(payerFor(payer, 21), payer).toBe(IBAN);
    // Whole words only: `martin` in Philippe Martin is not Li Martin, `li` in Philippe is not Zoé Li.
    expect(payerFor('Philippe Martin', 23)).toBe(IBAN);
    expect(payerFor('Philippe Dubois', 25)).toBe(IBAN);
    // The person, their initial, or their household (as the matcher reads titles, family words and double surnames).
    for (const payer of ['LAMBERT EMMA', 'Mme E. Lambert', 'Emma Lambert', 'M. et Mme Lambert', 'Famille Lambert', 'Lambert-Dupont', 'LAMBERT', 'Jan et Emma Lambert']) {
      expect(payerFor(payer, 21), payer).toBeNull();
    }
    expect(payerFor('MARTIN LI', 23)).toBeNull();
    expect(payerFor('Li Zoe', 25)).toBeNull();
  });

  it('answers nobody for an empty credit or unknown payers', () => {
    for (const fields of [{}, { communication: '' }, { communication: 'Don', counterpartyName: 'Fondation Roi Baudouin' }, { counterpartyName: 'Paul Nouveau', communication: 'cotisation 2024' }]) {
      expect(match(fields)).toMatchObject({ automatic: false, shares: [], alternatives: [], reason: { key: 'dues.reason.none' } });
    }
  });

  it('matches with a bare directory too, and many credits at once', () => {
    expect(matchCredit(credit({ counterpartyName: 'Sophie Dubois' }), directory).shares).toEqual([{ personId: 13, amount: 2500 }]);
    expect(matchCredits([credit({ counterpartyName: 'Sophie Dubois' }), credit({ amount: -1 })], directory).map((p) => p.automatic)).toEqual([true, false]);
  });

  it('uses only reason keys it declares', () => {
    const inputs = [{ counterpartyName: 'Jean Dupont' }, { counterpartyName: 'A. Martin' }, { structuredReference: personReference(1) }, {}];
    for (const fields of inputs) expect(MATCH_REASON_KEYS).toContain(match(fields).reason.key);
  });
});

describe('matcher: a known IBAN against what the communication says', () => {
  it("sends to review a payment whose communication gives the IBAN person's surname with another first name", () => {
    // Marc Peeters' account; Emma Peeters is not in the register.
    for (const communication of ['cotisation Emma Peeters', 'Cotisation Marc et Emma Peeters', 'lidgeld E. Peeters', 'Emma et Marc Peeters 2026']) {
      const proposal = match({ amount: 5000, counterpartyName: 'PEETERS ANNE', counterpartyIban: PEETERS_IBAN, communication });
      expect(proposal, communication).toMatchObject({ automatic: false, shares: [{ personId: 8, amount: 5000 }], reason: { key: 'dues.reason.someone_else_named', params: { name: 'Marc Peeters' } } });
      expect(proposal.alternatives, communication).toContain(9);
    }
  });

  it('sends to review a payment naming a person of the register next to someone it does not know', () => {
    const proposal = match({ amount: 5000, counterpartyName: 'Compte Tiers', communication: 'cotisation Lucas Peeters et Emma Peeters' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 9 }], reason: { key: 'dues.reason.someone_else_named' } });
    // The payer's name alone does not save it: Marc paying "for Emma Peeters" is not Marc's dues.
    expect(match({ counterpartyName: 'MARC PEETERS', communication: 'cotisation Emma Peeters' }).automatic).toBe(false);
  });

  it('keeps plain texts, years and the surname alone automatic on a known IBAN', () => {
    for (const communication of [null, 'cotisation', 'lidgeld 2026', 'membership', 'Cotisation Peeters 2026', 'cotisation Marc Peeters', 'lidgeld M. Peeters']) {
      expect(match({ counterpartyName: 'PEETERS ANNE', counterpartyIban: PEETERS_IBAN, communication }), String(communication)).toMatchObject({ automatic: true, shares: [{ personId: 8 }] });
    }
  });
});

describe('matcher: payers only seen paying for someone', () => {
  const SOPHIE_IBAN = 'BE40000000002063';
  const seen: Directory = {
    people: [...directory.people, person(17, 'Sophie Lambert', 'Lambert, Sophie')],
    ibans: directory.ibans,
    payers: new Map([[SOPHIE_IBAN, [1]], [PEETERS_IBAN, [13]]]),
  };
  const seenIndex = buildMatchIndex(seen);
  const matchSeen = (fields: Partial<MatchInput>) => matchCredit(credit(fields), seenIndex);

  it("proposes the person the IBAN paid for, with the payer's own match as the alternative, never automatically", () => {
    for (const counterpartyName of ['LAMBERT S', 'SOPHIE LAMBERT', null]) {
      const proposal = matchSeen({ counterpartyName, counterpartyIban: SOPHIE_IBAN, communication: 'lidgeld' });
      expect(proposal, String(counterpartyName)).toMatchObject({ automatic: false, shares: [{ personId: 1 }], reason: { key: 'dues.reason.iban_payer' }, payerFor: null });
      expect(proposal.alternatives).toEqual(counterpartyName ? [17] : []);
    }
  });

  it('lets an IBAN surely known for its holder wait for review when it was also seen paying for someone else', () => {
    const proposal = matchSeen({ counterpartyName: 'PEETERS MARC', counterpartyIban: PEETERS_IBAN, communication: 'cotisation' });
    expect(proposal).toMatchObject({ automatic: false, shares: [{ personId: 13 }], alternatives: [8] });
  });

  it('still follows a reference or a name in the communication', () => {
    expect(matchSeen({ counterpartyName: 'LAMBERT S', counterpartyIban: SOPHIE_IBAN, structuredReference: personReference(1) })).toMatchObject({ automatic: true, shares: [{ personId: 1 }], payerFor: null });
    expect(matchSeen({ counterpartyName: 'LAMBERT S', counterpartyIban: SOPHIE_IBAN, communication: 'cotisation Sophie Lambert' })).toMatchObject({ automatic: true, shares: [{ personId: 17 }] });
  });
});

describe('matcher helpers', () => {
  it('cuts names into folded words and joins spelled legal forms', () => {
    expect(nameTokens("Jean-Pierre D'Hondt, A.S.B.L.")).toEqual(['jean', 'pierre', 'd', 'hondt', 'asbl']);
    expect(nameTokens('ØDEGAARD Zoë')).toEqual(['odegaard', 'zoe']);
    expect(organisationKey('A.S.B.L. Les Amis du Libre')).toBe('lesamisdulibre');
    expect(organisationKey('Hackerspace Gent v.z.w.')).toBe('hackerspacegent');
  });

  it('reads references in texts and finds the ones a typo away', () => {
    expect(referencesInText('cotisation 2024 +++900/0000/00520+++').map((r) => [r.digits, r.valid])).toEqual([['900000000520', true]]);
    expect(referencesInText('cotisation 2024')).toEqual([]);
    expect(referencesInText('tel 0470 12 34 56 le 12/03/2024').every((r) => !r.valid)).toBe(true);
    expect(correctionsOf('900000000521')).toContain('900000000520'); // a digit changed
    expect(correctionsOf('900000005020')).toContain('900000000520'); // two digits swapped
    expect(correctionsOf('90000000520')).toContain('900000000520'); // a digit dropped
    expect(correctionsOf('9000000005520')).toContain('900000000520'); // a digit doubled
  });
});
