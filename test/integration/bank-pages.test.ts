// The treasurer's pages as a browser without JavaScript uses them: upload, preview, import, review, payments, year.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createPerson } from '../../src/modules/people/people.service.js';
import { getMembership } from '../../src/modules/memberships/memberships.service.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { csrfOf } from '../helpers/browser-client.js';
import { forEachDialect } from '../helpers/dialects.js';
import { multipart } from '../helpers/multipart.js';
import { camt054 } from '../fixtures/camt054.js';

forEachDialect('bank pages', (open) => {
  let t: TestApp;
  beforeEach(async () => { t = await startTestApp(await open()); });
  afterEach(() => t.close());

  it('uploads, previews without writing, imports, reviews a payment and sees the member in the year overview', async () => {
    const carla = await createPerson(t.ctx.db, SYSTEM, { display_name: 'Carla Dubois' });
    const browser = await t.loginAs(['treasurer']);
    const bank = await browser.get('/bank');
    const body = multipart({ _csrf: csrfOf(bank.body), format: '', account: '', qif_date_order: '' }, camt054([{ id: 'P1', amount: '20.00', name: 'Quelqu un', text: 'cotisation 2026' }]), 'notif.xml');
    const uploaded = await t.app.inject({ method: 'POST', url: '/bank/import', payload: body.payload, headers: { 'content-type': body.contentType, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    expect(uploaded.statusCode).toBe(303);
    const preview = await browser.get(uploaded.headers.location as string);
    expect(preview.body).toContain('BE68539007547034');
    expect(await t.ctx.db.selectFrom('bank_transactions').selectAll().execute()).toHaveLength(0);

    const action = /<form method="post" action="(\/bank\/import\/[^"]+)"/.exec(preview.body)?.[1].replaceAll('&amp;', '&');
    const imported = await browser.post(action as string);
    expect(imported.statusCode).toBe(303);
    expect(imported.headers.location).toBe('/bank/review');
    const review = await browser.get(`/bank/review?q=dubois&tx=${(await t.ctx.db.selectFrom('bank_transactions').select('id').executeTakeFirstOrThrow()).id}`);
    expect(review.body).toContain('Carla Dubois');
    const txId = /action="\/bank\/transactions\/(\d+)\/allocations"/.exec(review.body)?.[1];
    const decided = await browser.post(`/bank/transactions/${txId}/allocations`, { person_id: String(carla.id), kind: 'dues', category: '' });
    expect(decided.statusCode).toBe(303);
    expect((await browser.get('/bank/review')).body).toContain('Nothing to review');
    expect(await getMembership(t.ctx.db, carla.id, 2026)).toMatchObject({ status: 'member', source: 'payment' });

    const year = await browser.get('/dues/2026');
    expect(year.body).toContain('Carla Dubois');
    const csv = await browser.get('/dues/2026/export.csv');
    expect(csv.headers['content-disposition']).toContain('dues-2026.csv');
    expect(csv.body).toContain('Carla Dubois');

    const payments = await browser.get(`/people/${carla.id}/payments`);
    expect(payments.body).toMatch(/\+\+\+9\d\d\/\d{4}\/\d{5}\+\+\+/);
    expect(payments.body).toContain('20.00 EUR');
    const bad = await browser.post(`/people/${carla.id}/payments/ibans`, { iban: 'BE00 1234' });
    expect(bad.statusCode).toBe(422);
    await browser.get(`/people/${carla.id}/payments`);
    expect((await browser.post(`/people/${carla.id}/payments/ibans`, { iban: 'be71 0961 2345 6769' })).statusCode).toBe(303);
    expect((await browser.get(`/people/${carla.id}/payments`)).body).toContain('BE71096123456769');
  });

  it('shows a broken file\'s problem on the upload form, and refuses the bank pages to a secretary', async () => {
    const browser = await t.loginAs(['treasurer']);
    const bank = await browser.get('/bank');
    const body = multipart({ _csrf: csrfOf(bank.body) }, Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>'), 'evil.xml');
    const uploaded = await t.app.inject({ method: 'POST', url: '/bank/import', payload: body.payload, headers: { 'content-type': body.contentType, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    const preview = await browser.get(uploaded.headers.location as string);
    expect(preview.body).toContain('role="alert"');
    expect(preview.body).toMatch(/DTD|entities/);
    const secretary = await t.loginAs(['secretary']);
    expect((await secretary.get('/bank')).statusCode).toBe(403);
  });
});
