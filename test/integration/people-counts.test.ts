import { expect, it } from 'vitest';
import { COUNT_CAP, listPeople } from '../../src/modules/people/people.service.js';
import { forEachDialect } from '../helpers/dialects.js';

forEachDialect('people list counts', (open) => {
  it('counts the whole list exactly, and filtered lists up to a cap, while paging through all matches', async () => {
    const { db } = await open();
    const now = new Date().toISOString();
    const rows = Array.from({ length: 2 * COUNT_CAP + 30 }, (_, i) => ({
      kind: 'individual' as const, display_name: `Person ${i}`, sort_name: null, sort_key: `person ${String(i).padStart(5, '0')}`,
      search_text: i % 2 === 0 ? `person ${i} common` : `person ${i} rare${i}`, created_at: now, updated_at: now,
      street: null, postal_code: null, city: null, country: null, phone: null, language: null, notes: null,
      joined_on: null, left_on: null, left_reason: null, deleted_at: null,
    }));
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('people').values(rows.slice(i, i + 200)).execute();

    const all = await listPeople(db, {}, { currentYear: 2026 });
    expect(all).toMatchObject({ total: 2 * COUNT_CAP + 30, exact: true });

    const common = await listPeople(db, { q: 'common', per_page: 100 }, { currentYear: 2026 });
    expect(common).toMatchObject({ total: COUNT_CAP, exact: false });
    expect(common.items[0].display_name).toBe('Person 0');
    // 1,015 people match: the last page (11th of 100) shows the 15 beyond the cap.
    const last = await listPeople(db, { q: 'common', per_page: 100, page: 11 }, { currentYear: 2026 });
    expect(last.items).toHaveLength(15);
    expect(last.items.at(-1)?.display_name).toBe(`Person ${2 * COUNT_CAP + 28}`);

    const rare = await listPeople(db, { q: `rare${2 * COUNT_CAP + 29}` }, { currentYear: 2026 });
    expect(rare).toMatchObject({ total: 1, exact: true });
    expect(rare.items.map((p) => p.display_name)).toEqual([`Person ${2 * COUNT_CAP + 29}`]);
    // Substring search: rare77 also finds the odd rare771..rare779
    expect((await listPeople(db, { q: 'rare77' }, { currentYear: 2026 })).total).toBe(1 + 5);
  });
});
