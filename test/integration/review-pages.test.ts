// The review queue and a movement's page as a treasurer's browser without JavaScript uses them: the form starts from
// the proposal, any movement can be corrected and undone, splits take amounts per share, refusals keep the input.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { personReference } from '../../src/modules/dues/matcher.js';
import { addPersonIban } from '../../src/modules/dues/person-payments.service.js';
import { importAndAllocate } from '../../src/modules/dues/review.service.js';
import { getMembership } from '../../src/modules/memberships/memberships.service.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { forEachDialect } from '../helpers/dialects.js';
import { camt054, type Credit } from '../fixtures/camt054.js';

const unescape = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The fields a browser would send when Confirm is pressed without changing the decision form of a movement. */
function formAsShown(page: string, txId: number): Record<string, string> {
  const form = new RegExp(`<form method="post" action="/bank/transactions/${txId}/allocations">([\\s\\S]*?)</form>`).exec(page)?.[1];
  if (!form) throw new Error(`no decision form for movement ${txId}`);
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[m[1]] = unescape(m[2]);
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[m[1]] = unescape((/<option value="([^"]*)" selected>/.exec(m[2]) ?? /<option value="([^"]*)"/.exec(m[2]) ?? ['', ''])[1]);
  }
  return fields;
}

forEachDialect('review pages', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  async function importOne(credit: Credit): Promise<number> {
    await importAndAllocate(t.ctx.db, SYSTEM, camt054([credit]), { filename: `${credit.id}.xml` });
    return (await t.ctx.db.selectFrom('bank_transactions').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
  }
  const allocations = (txId: number) => t.ctx.db.selectFrom('allocations').select(['person_id', 'amount_cents', 'kind', 'status', 'fiscal_year']).where('transaction_id', '=', txId).orderBy('id').execute();

  it('starts the form from the proposal: a donation confirmed unchanged stays a donation and makes nobody a member', async () => {
    const bob = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Bob Martin' });
    const txId = await importOne({ id: 'D1', amount: '50.00', name: 'Bob Martin', ref: personReference(bob.id), text: 'don pour le nouveau serveur' });
    const browser = await t.loginAs(['treasurer']);
    const review = await browser.get('/bank/review');
    expect(review.body).toContain('<option value="donation" selected>');
    expect(review.body).not.toContain('<option value="dues" selected>');
    expect(review.body).toContain(`<option value="${bob.id}" selected>Bob Martin #${bob.id} · `);
    expect(review.body).toContain('value="50.00"');
    const decided = await browser.post(`/bank/transactions/${txId}/allocations`, formAsShown(review.body, txId));
    expect(decided.statusCode).toBe(303);
    expect(await allocations(txId)).toEqual([{ person_id: bob.id, amount_cents: 5000, kind: 'donation', status: 'confirmed', fiscal_year: null }]);
    expect(await getMembership(t.ctx.db, bob.id, 2026)).toBeNull();
  });

  it('corrects an automatic assignment from one person to another on the movement page, and undoes it', async () => {
    const anna = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Anna Peeters' });
    const bert = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Bert Claes' });
    const txId = await importOne({ id: 'A1', amount: '25.00', name: 'Anna Peeters', ref: personReference(anna.id), text: 'cotisation' });
    expect((await allocations(txId))[0]).toMatchObject({ person_id: anna.id, status: 'auto' });
    expect(await getMembership(t.ctx.db, anna.id, 2026)).toMatchObject({ status: 'member' });
    const browser = await t.loginAs(['treasurer']);
    expect((await browser.get('/bank/transactions')).body).toContain(`href="/bank/transactions/${txId}"`);
    expect((await browser.get(`/people/${anna.id}/payments`)).body).toContain(`href="/bank/transactions/${txId}"`);

    const page = await browser.get(`/bank/transactions/${txId}?q=Claes`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<option value="${bert.id}">Bert Claes #${bert.id} · `);
    const decided = await browser.post(`/bank/transactions/${txId}/allocations`, { ...formAsShown(page.body, txId), s0_person: String(bert.id) });
    expect(decided.statusCode).toBe(303);
    expect(decided.headers.location).toBe(`/bank/transactions/${txId}`);
    expect(await allocations(txId)).toEqual([{ person_id: bert.id, amount_cents: 2500, kind: 'dues', status: 'confirmed', fiscal_year: 2026 }]);
    expect(await getMembership(t.ctx.db, bert.id, 2026)).toMatchObject({ status: 'member' });
    expect((await getMembership(t.ctx.db, anna.id, 2026))?.status).not.toBe('member');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'bank_transaction').where('entity_id', '=', String(txId)).execute();
    expect(audit.map((a) => a.action)).toContain('allocation.decide');

    const after = await browser.get(`/bank/transactions/${txId}`);
    expect(after.body).toContain(`action="/bank/transactions/${txId}/undo"`);
    expect((await browser.post(`/bank/transactions/${txId}/undo`, { next: `/bank/transactions/${txId}` })).statusCode).toBe(303);
    expect((await allocations(txId))[0]).toMatchObject({ person_id: anna.id, status: 'auto' });
    expect(await getMembership(t.ctx.db, anna.id, 2026)).toMatchObject({ status: 'member' });
    expect((await getMembership(t.ctx.db, bert.id, 2026))?.status).not.toBe('member');
    expect((await browser.get(`/bank/transactions/${txId + 1000}`)).statusCode).toBe(404);
    expect((await (await t.loginAs(['secretary'])).get(`/bank/transactions/${txId}`)).statusCode).toBe(403);
  });

  it('splits with an amount and a kind per share; a refusal shows the same form with the message and the input kept', async () => {
    const anna = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Anna Peeters' });
    const bert = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Bert Claes' });
    const txId = await importOne({ id: 'S1', amount: '25.01', name: 'Famille Inconnue', text: 'pour deux' });
    const browser = await t.loginAs(['treasurer']);
    const prepared = await browser.get(`/bank/transactions/${txId}?shares=2`);
    expect(prepared.body).toMatch(/name="s0_amount" value="12\.51"/);
    expect(prepared.body).toMatch(/name="s1_amount" value="12\.50"/);
    expect(prepared.body).toMatch(/<label for="t\d+-s0-person">[^<]+<\/label> <select id="t\d+-s0-person" name="s0_person" autofocus>/);

    const nobody = await browser.post(`/bank/transactions/${txId}/allocations`, { s0_person: '', s0_amount: '25.01', s0_kind: 'dues', s0_category: '', s0_year: '' });
    expect(nobody.statusCode).toBe(422);
    expect(nobody.body).toContain('Dues must be assigned to a person.');
    expect(nobody.body).toContain(`action="/bank/transactions/${txId}/allocations"`);

    const stranger = await browser.post(`/bank/transactions/${txId}/allocations`, { s0_person: '999999', s0_amount: '25.01', s0_kind: 'dues', s0_category: '', s0_year: '' });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.body).toContain('One of the chosen people no longer exists');
    const badAmount = await browser.post(`/bank/transactions/${txId}/allocations`, { s0_person: String(anna.id), s0_amount: '25.011', s0_kind: 'dues', s0_category: '', s0_year: '' });
    expect(badAmount.statusCode).toBe(422);
    expect(badAmount.body).toContain('Write each amount as digits');
    expect(badAmount.body).toContain('value="25.011"');

    const shares = { s0_person: String(anna.id), s0_amount: '20,00', s0_kind: 'dues', s0_category: '', s0_year: '2026', s1_person: String(bert.id), s1_amount: '4.00', s1_kind: 'donation', s1_category: 'serveur', s1_year: '' };
    const refused = await browser.post(`/bank/transactions/${txId}/allocations`, shares);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('The shares must add up to the amount of the movement.');
    expect(refused.body).toContain('value="20,00"');
    expect(refused.body).toContain('value="serveur"');
    expect(refused.body).toContain(`<option value="${bert.id}" selected>Bert Claes #${bert.id} · `);
    expect(await allocations(txId)).toEqual([expect.objectContaining({ person_id: null, status: 'to_review' })]);

    const done = await browser.post(`/bank/transactions/${txId}/allocations`, { ...shares, s1_amount: '5.01' });
    expect(done.statusCode).toBe(303);
    expect(await allocations(txId)).toEqual([
      { person_id: anna.id, amount_cents: 2000, kind: 'dues', status: 'confirmed', fiscal_year: 2026 },
      { person_id: bert.id, amount_cents: 501, kind: 'donation', status: 'confirmed', fiscal_year: null },
    ]);
    expect(await getMembership(t.ctx.db, anna.id, 2026)).toMatchObject({ status: 'member' });
    expect(await getMembership(t.ctx.db, bert.id, 2026)).toBeNull();
  });

  it('shows the confidence and reason of proposals, the formatted reference, translated IBAN sources and the reference on the person page', async () => {
    const carla = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Carla Dubois' });
    await addPersonIban(t.ctx.db, SYSTEM, carla.id, 'BE71 0961 2345 6769');
    const txId = await importOne({ id: 'R1', amount: '40.00', name: 'Carla Dubois', ref: personReference(carla.id), text: 'soutien' });
    const browser = await t.loginAs(['treasurer']);
    const review = await browser.get('/bank/review');
    const digits = personReference(carla.id);
    const formatted = `+++${digits.slice(0, 3)}/${digits.slice(3, 7)}/${digits.slice(7)}+++`;
    expect(review.body).toMatch(/confidence \d+%/);
    expect(review.body).toContain(`Structured reference ${formatted} of Carla Dubois`);
    expect(review.body).toContain(formatted);
    expect(review.body).not.toContain(`+++${digits}+++`);
    const page = await browser.get(`/bank/transactions/${txId}`);
    expect(page.body).toMatch(/confidence \d+%/);
    expect(page.body).toContain(formatted);
    const payments = await browser.get(`/people/${carla.id}/payments`);
    expect(payments.body).toContain('entered by hand');
    expect(payments.body).not.toContain('<span class="muted">manual</span>');
    const french = await browser.get(`/people/${carla.id}/payments`, { 'accept-language': 'fr' });
    expect(french.body).toMatch(/saisi à la main|saisi &agrave; la main/);
    const person = await browser.get(`/people/${carla.id}`);
    expect(person.body).toContain(formatted);
    expect(person.body).toMatch(/RF\d\d/);
  });
  it('tells namesakes apart among the candidates (id, payment reference, city or first e-mail), in valid HTML', async () => {
    const first = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Jean Dupont', city: 'Liège' });
    const second = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Jean Dupont', emails: ['jean.dupont@example.org'] });
    const txId = await importOne({ id: 'H1', amount: '25.00', name: 'Jean Dupont', text: 'cotisation' });
    expect((await allocations(txId))[0]).toMatchObject({ status: 'to_review' });
    const browser = await t.loginAs(['treasurer']);
    const ref = (id: number) => { const d = personReference(id); return `+++${d.slice(0, 3)}/${d.slice(3, 7)}/${d.slice(7)}+++`; };
    for (const url of ['/bank/review', `/bank/transactions/${txId}`]) {
      const body = unescape((await browser.get(url)).body);
      expect(body).toContain(`Jean Dupont #${first.id}</a> (${ref(first.id)} · Liège)`);
      expect(body).toContain(`Jean Dupont #${second.id}</a> (${ref(second.id)} · jean.dupont@example.org)`);
      expect(body).toContain(`>Jean Dupont #${first.id} · ${ref(first.id)} · Liège</option>`);
      expect(body).not.toMatch(/<p>(?:(?!<\/p>)[\s\S])*<div/); // no block inside a paragraph
      expect(body).toContain('an empty fiscal year records the one the dues policy gives today');
      if (url === '/bank/review') expect(body).toContain('· 1 result</span>'); // not "1 results"
    }
  });
});
