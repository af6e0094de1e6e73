import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { importAndAllocate, reviewQueue } from '../../src/modules/dues/review.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';
import { camt054 } from '../fixtures/camt054.js';

forEachDialect('categorisation rules and CSV profiles', (open) => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeEach(async () => {
    t = await startTestApp(await open());
    auth = { authorization: `Bearer ${await t.tokenFor(['treasurer'])}` };
  });
  afterEach(() => t.close());

  it('a new rule categorises the waiting expenses at once, and the next ones without review', async () => {
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'E1', amount: '-49.90', name: 'Hetzner Online GmbH', text: 'Invoice R0012' }]), { filename: 'a.xml' });
    expect((await reviewQueue(t.ctx.db)).total).toBe(1);
    const added = await t.app.inject({ method: 'POST', url: '/api/v1/bank/rules', headers: auth, payload: { pattern: 'HETZNER', kind: 'expense', category: 'datacentre', direction: 'debit' } });
    expect(added.statusCode).toBe(201);
    expect(added.json().applied).toBe(1);
    expect((await reviewQueue(t.ctx.db)).total).toBe(0);
    const next = await importAndAllocate(t.ctx.db, SYSTEM, camt054([{ id: 'E2', amount: '-49.90', name: 'Hetzner Online GmbH' }, { id: 'E3', amount: '-12.00', name: 'Gandi SAS' }]), { filename: 'b.xml' });
    expect(next).toMatchObject({ added: 2, automatic: 1, toReview: 1 });
    const year = (await t.app.inject({ url: '/api/v1/dues/2026', headers: auth })).json();
    expect(year.totals).toContainEqual({ kind: 'expense', category: 'datacentre', currency: 'EUR', amount_cents: -9980, count: 2 });
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/bank/rules', headers: auth, payload: { pattern: 'x', kind: 'nonsense', category: '' } })).statusCode).toBe(422);
  });

  it('leaves to the treasurer a credit that may be a person’s, whatever the rules say, at import and when a rule is added', async () => {
    for (let i = 0; i < 2; i++) await createPerson(t.ctx.db, SYSTEM, { display_name: 'Jean Dupont' });
    const rule = { pattern: 'paypal', kind: 'other', category: 'paypal', direction: 'any' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/bank/rules', headers: auth, payload: rule })).statusCode).toBe(201);
    const credits = [
      { id: 'H1', amount: '25.00', name: 'PAYPAL EUROPE', text: 'cotisation Jean Dupont' }, // two Jean Dupont: theirs to decide
      { id: 'H2', amount: '9.99', name: 'PAYPAL EUROPE', text: 'payout 2026-02' }, // nobody in it: the rule's
    ];
    expect(await importAndAllocate(t.ctx.db, SYSTEM, camt054(credits), { filename: 'p.xml' })).toMatchObject({ added: 2, automatic: 1, toReview: 1 });
    const [waiting] = (await reviewQueue(t.ctx.db)).items;
    expect(waiting.communication).toBe('cotisation Jean Dupont');
    expect(waiting.allocations[0].alternatives.map((p) => p.display_name)).toEqual(['Jean Dupont', 'Jean Dupont']);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/bank/rules', headers: auth, payload: { ...rule, pattern: 'cotisation' } });
    expect(again.json().applied).toBe(0);
    expect((await reviewQueue(t.ctx.db)).total).toBe(1);
  });

  it('saves a CSV profile and imports a bank CSV with it into a chosen account', async () => {
    const profile = { name: 'my-bank', decimalComma: true, dateFormat: 'DD/MM/YYYY', delimiter: ';', columns: { date: 'Datum', amount: 'Bedrag', counterpartyName: 'Tegenpartij', communication: 'Mededeling' }, currency: 'EUR', accountIban: 'BE68539007547034' };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/bank/profiles', headers: auth, payload: profile })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/bank/profiles', headers: auth, payload: { ...profile, columns: { date: 'Datum' } } })).statusCode).toBe(422);
    const csv = 'Datum;Bedrag;Tegenpartij;Mededeling\n03/02/2026;1.234,50;Jan Peeters;lidgeld\n04/02/2026;-10,00;Bank;kosten\n';
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports?profile=my-bank', headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ format: 'csv', added: 2 });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/bank/imports?profile=my-bank', headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
    expect(again.json()).toMatchObject({ added: 0, duplicates: 2 });
    const list = (await t.app.inject({ url: '/api/v1/bank/transactions', headers: auth })).json();
    expect(list.items.map((i: { amount_cents: number }) => i.amount_cents).sort((a: number, b: number) => a - b)).toEqual([-1000, 123450]);
  });
});
