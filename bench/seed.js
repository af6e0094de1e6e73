// Seeds a fresh SQLite data folder with many realistic people, fast: the real migration, then bulk inserts in transactions.
// Rows are written directly with Kysely, their columns (sort key, search text) built by people.service's personColumns().
import { fold } from '../dist/core/text.js';
import { personColumns } from '../dist/modules/people/people.service.js';
import { migrateToLatest, openStorage } from '../dist/storage/database.js';
import { pick, prng, weighted } from './random.js';

const FIRST_FR = ['Hélène', 'Élodie', 'Chloé', 'Zoé', 'Léa', 'Noémie', 'Mélanie', 'Gaëlle', 'Anaïs', 'Jérôme', 'Frédéric', 'André', 'Benoît', 'François',
  'Loïc', 'Raphaël', 'Théo', 'Joël', 'Céline', 'Stéphane', 'Cédric', 'Aurélie', 'Sébastien', 'Émile', 'Agnès', 'Maëlle', 'Inès', 'Clément', 'Valérie',
  'Thérèse', 'René', 'Noël', 'Marie', 'Sophie', 'Camille', 'Julien', 'Nicolas', 'Pierre', 'Luc', 'Isabelle', 'Nathalie', 'Claire', 'Mathilde', 'Hugo',
  'Louis', 'Manon', 'Margaux', 'Timothée', 'Solène', 'Héloïse', 'Maïté', 'Gérard', 'Josée', 'Anne-Sophie', 'Jean-François', 'Marie-Hélène'];
const FIRST_NL = ['Jan', 'Pieter', 'Joris', 'Sven', 'Maarten', 'Bram', 'Wouter', 'Lotte', 'Annelies', 'Fien', 'Els', 'Marieke', 'Sanne', 'Femke', 'Joke',
  'Lieve', 'Griet', 'Koen', 'Stijn', 'Geert', 'Dirk', 'Ruben', 'Jens', 'Wim', 'Hanne', 'Ine', 'Björn', 'Jonas', 'Lies', 'Tine', 'Bart', 'Kris', 'Hannelore',
  'Ilse', 'Nele', 'Sien', 'Wannes', 'Arne', 'Seppe', 'Gijs', 'Maaike', 'Anouk', 'Daan', 'Noor', 'Thijs', 'Eline', 'Zoë', 'Chloë', 'Joëlle'];
const LAST_BE_FR = ['Dupont', 'Lambert', 'Dubois', 'Renard', 'Leclercq', 'Lemaire', 'Denis', 'Martin', 'Dumont', 'Simon', 'François', 'Laurent',
  'Fontaine', 'Bernard', 'Mathieu', 'Gérard', 'Lefèvre', 'Lefebvre', 'Hébert', 'Moreau', 'Girard', 'Bonnet', 'Rousseau', 'Benoît', 'Ménard', 'Noël',
  'Lemaître', 'Cuvelier', 'Dethier', 'Gillet', 'Collard', 'Piron', 'Delvaux', 'Leroy', 'Dewez', 'Jadot', 'Wéry', 'Frère', 'Pirlot', 'Lhoëst', 'Goffin',
  'Lejeune', 'Thiry', 'Masson', 'Delhaye', 'Closset', 'Dury', 'Bodart', 'Hénin', 'Lecocq', 'Brasseur', 'Château', 'Guérin', 'Évrard', 'Étienne'];
const LAST_BE_NL = ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Van den Broeck',
  'Van de Velde', 'Vermeulen', 'De Clercq', 'Vandenberghe', 'Van Damme', "D'Hondt", 'Verstraete', 'De Backer', 'Smets', 'Desmet', 'Hermans', 'Michiels',
  'Coppens', 'Lenaerts', 'De Vos', 'Stevens', 'Martens', 'Verhoeven', 'Geerts', 'Aerts', 'Van Dyck', 'Baert', 'Bogaert', 'Cools', 'Pauwels', 'Vandamme',
  'Hanssens', 'Dewulf', 'Thys', 'Van Achter', 'De Wilde', 'Verbruggen', 'Van Hoof', 'Segers', 'Van Acker', 'Dierckx', 'Vercammen', 'Vanhoutte',
  'De Meyer', 'Bosmans', 'Van Gucht', 'Heylen', 'Coenen', 'Van Roey'];
const LAST_NL = ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot',
  'Bos', 'Vos', 'Peters', 'Hendriks', 'van Leeuwen', 'Dekker', 'Brouwer', 'de Wit', 'Dijkstra', 'Smits', 'de Graaf', 'van der Meer', 'Kok', "van 't Hof"];
const LAST_FR = ['Lefèvre', 'Girard', 'Bonnet', 'Dupuis', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefort', 'Mercier', 'Boyer',
  'Blanc', 'Guérin', 'Faure', 'André', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garnier', 'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas',
  'Hénaff', 'Le Goff', 'Le Gall', 'Kerjean', 'Pécresse', 'Béranger', 'Després', 'Ferrière', 'Lebœuf', 'Cœurderoy'];
const SYLLABLES = ['ber', 'ghe', 'van', 'dor', 'lé', 'quin', 'mar', 'tel', 'sch', 'oot', 'dré', 'vil', 'lez', 'kaa', 'ruy', 'ssen', 'bro', 'eck',
  'hau', 'zée', 'wal', 'ffe', 'gnac', 'mont', 'ier', 'haë', 'pen', 'duc', 'tiè', 'rix'];

const CITIES = [
  ['Bruxelles', '1000', 'Belgique', 14], ['Ixelles', '1050', 'Belgique', 5], ['Schaerbeek', '1030', 'Belgique', 4], ['Saint-Gilles', '1060', 'Belgique', 3],
  ['Etterbeek', '1040', 'Belgique', 2], ['Molenbeek-Saint-Jean', '1080', 'Belgique', 2], ['Woluwe-Saint-Lambert', '1200', 'Belgique', 2],
  ['Liège', '4000', 'Belgique', 7], ['Namur', '5000', 'Belgique', 4], ['Charleroi', '6000', 'Belgique', 3], ['Mons', '7000', 'Belgique', 2],
  ['Louvain-la-Neuve', '1348', 'Belgique', 3], ['Ottignies', '1340', 'Belgique', 1], ['Wavre', '1300', 'Belgique', 1], ['Arlon', '6700', 'Belgique', 1],
  ['Tournai', '7500', 'Belgique', 1], ['Gent', '9000', 'België', 6], ['Antwerpen', '2000', 'België', 6], ['Leuven', '3000', 'België', 4],
  ['Brugge', '8000', 'België', 2], ['Mechelen', '2800', 'België', 2], ['Hasselt', '3500', 'België', 2], ['Kortrijk', '8500', 'België', 1],
  ['Lille', '59000', 'France', 3], ['Paris', '75011', 'France', 3], ['Lyon', '69007', 'France', 2], ['Strasbourg', '67000', 'France', 1],
  ['Besançon', '25000', 'France', 1], ['Orléans', '45000', 'France', 1], ['Amsterdam', '1012', 'Nederland', 2], ['Rotterdam', '3011', 'Nederland', 1],
  ['Utrecht', '3511', 'Nederland', 1], ['Maastricht', '6211', 'Nederland', 1], ['Luxembourg', '1111', 'Luxembourg', 1],
];
const STREETS = ['rue de la Loi', 'rue Haute', 'avenue Louise', 'chaussée de Wavre', 'rue des Carmes', 'place du Marché', 'rue Saint-Léonard',
  'Kerkstraat', 'Stationsstraat', 'Dorpsstraat', 'Veldstraat', 'Molenstraat', 'Nieuwstraat', 'boulevard Émile Jacqmain', 'rue du Château',
  'rue de l’Église', 'avenue des Érables', 'Grote Markt', 'Korenmarkt', 'Meir'];
const DOMAINS = [['gmail.com', 20], ['outlook.be', 5], ['hotmail.com', 5], ['skynet.be', 6], ['telenet.be', 8], ['proximus.be', 3], ['voo.be', 3],
  ['free.fr', 3], ['orange.fr', 3], ['laposte.net', 2], ['protonmail.com', 5], ['riseup.net', 3], ['posteo.de', 3], ['chatons.org', 2],
  ['ruche.example', 4], ['ulb.be', 1], ['kuleuven.be', 1], ['uliege.be', 1], ['yahoo.fr', 2], ['disroot.org', 2]];
const TAGS = [['bénévole', 12], ['vpn', 14], ['cloud', 12], ['mail', 10], ['wiki', 4], ['chat', 5], ['admin-sys', 3], ['fondateur', 1],
  ['newsletter', 15], ['ag-2025', 6], ['étudiant', 5], ['tarif-réduit', 6], ['permanence', 3], ['formation', 3], ['fosdem', 2], ['ipv6', 2],
  ['ancien-ca', 1], ['trésorerie', 1], ['hébergement', 4], ['s3', 2], ['nextcloud', 6], ['matrix', 3], ['réparateur', 1], ['vrijwilliger', 4]];
const NOTES = [
  'Paie par virement annuel en janvier.', 'Rencontré·e au FOSDEM, intéressé·e par le VPN à IP fixe.', 'Préfère être contacté·e par Signal.',
  'Heeft een VPN met vast IP-adres.', 'Betaalt via domiciliëring; herinnering sturen in maart.', 'A aidé à l’installation du serveur à Liège.',
  'Membre du conseil d’administration de 2019 à 2022.', 'Demande une facture au nom de son association.', 'Cotisation payée par son conjoint.',
  'Ne souhaite pas recevoir la lettre d’information.', 'Vient aux permanences du jeudi soir.', 'Contact technique pour l’ASBL.',
  'Kwam via de Repair Café in Gent.', 'Problème de DKIM résolu en 2024.', 'Quota cloud augmenté à 50 Go.', 'Wil graag helpen met de wiki.',
  'Ancien·ne trésorier·ère, connaît l’historique des comptes.', 'Utilise le Matrix du collectif pour la coordination.',
];
const ORG_PREFIX = ['ASBL', 'vzw', 'Coopérative', 'Collectif', 'Association', 'Maison de quartier', 'Repair Café', 'Bibliothèque', 'École', 'Atelier'];
const ORG_NAME = ['Les Amis de la Terre', 'Hackerspace Bruxelles', 'De Buurtwerking', 'Le Petit Théâtre', 'Vélo Solidaire', 'Groene Vingers', 'La Ruche Qui Dit Oui',
  'Radio Panik', 'Les Ateliers Numériques', 'Open Knowledge', 'Het Wijkhuis', 'Le Jardin Partagé', 'Café Citoyen', 'Quartier Libre', 'Média Libre'];
const STATUSES = [['member', 55], ['pending', 15], ['lapsed', 20], ['resigned', 7], ['excluded', 3]];

const pad = (n, width = 2) => String(n).padStart(width, '0');
const isoDate = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
const localPart = (text) => fold(text).replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');

function makePerson(rand, i, rareNames, family) {
  const now = new Date();
  const isOrg = rand() < 0.06;
  const data = { kind: isOrg ? 'organisation' : 'individual', emails: [], tags: [], notes: null, phone: null, sort_name: null };
  const [city, postal, country] = weighted(rand, CITIES);
  const flemishOrDutch = country === 'België' || country === 'Nederland';
  if (isOrg) {
    data.display_name = `${pick(rand, ORG_PREFIX)} ${pick(rand, ORG_NAME)}${rand() < 0.5 ? ` ${city}` : ''}`;
    data.emails.push(`contact@${localPart(data.display_name).replace(/\./g, '-').slice(0, 30)}.be`);
    if (rand() < 0.4) data.emails.push(`tresorerie@${localPart(data.display_name).replace(/\./g, '-').slice(0, 30)}.be`);
  } else {
    const first = pick(rand, flemishOrDutch ? (rand() < 0.8 ? FIRST_NL : FIRST_FR) : (rand() < 0.85 ? FIRST_FR : FIRST_NL));
    let last;
    if (family) last = family.last;
    else if (rand() < 0.03) {
      // A rare surname, unique in the register: used by the "rare" search scenarios.
      do last = `${pick(rand, SYLLABLES)}${pick(rand, SYLLABLES)}${pick(rand, SYLLABLES)}${pick(rand, SYLLABLES)}`;
      while (rareNames.includes(last[0].toUpperCase() + last.slice(1)));
      last = last[0].toUpperCase() + last.slice(1);
      rareNames.push(last);
    } else if (country === 'Nederland') last = pick(rand, LAST_NL);
    else if (country === 'France') last = pick(rand, LAST_FR);
    else last = pick(rand, flemishOrDutch ? (rand() < 0.85 ? LAST_BE_NL : LAST_BE_FR) : (rand() < 0.7 ? LAST_BE_FR : LAST_BE_NL));
    data.display_name = `${first} ${last}`;
    if (rand() < 0.7) data.sort_name = `${last}, ${first}`;
    const domain = weighted(rand, DOMAINS)[0];
    const style = rand();
    const local = style < 0.5 ? `${localPart(first)}.${localPart(last)}` : style < 0.8 ? `${localPart(first)[0]}${localPart(last).replace(/\./g, '')}` : `${localPart(first)}${i % 1000}`;
    data.emails.push(`${local}@${domain}`);
    if (family) data.emails.push(family.email); // Shared by the household.
    else if (rand() < 0.25) data.emails.push(`${localPart(first)}.${localPart(last)}@${weighted(rand, DOMAINS)[0]}`);
    data.emails = [...new Set(data.emails)];
    data.phone = rand() < 0.6 ? `+32 4${pad(Math.floor(rand() * 100))} ${pad(Math.floor(rand() * 100))} ${pad(Math.floor(rand() * 100))} ${pad(Math.floor(rand() * 100))}` : null;
  }
  const tagCount = Math.floor(rand() * 4);
  const tags = new Set();
  for (let t = 0; t < tagCount; t++) tags.add(weighted(rand, TAGS)[0]);
  data.tags = [...tags];
  if (rand() < 0.3) data.notes = rand() < 0.15 ? `${pick(rand, NOTES)} ${pick(rand, NOTES)} ${pick(rand, NOTES)}` : pick(rand, NOTES);
  data.street = rand() < 0.8 ? `${pick(rand, STREETS)} ${1 + Math.floor(rand() * 250)}` : null;
  data.postal_code = postal;
  data.city = city;
  data.country = country;
  data.language = country === 'België' || country === 'Nederland' ? 'nl' : rand() < 0.93 ? 'fr' : 'en';
  const joinedYear = 2012 + Math.floor(rand() * (now.getFullYear() - 2012 + 1));
  data.joined_on = rand() < 0.85 ? isoDate(joinedYear, 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)) : null;
  data.left_on = null;
  data.left_reason = null;
  const created = new Date(Date.UTC(joinedYear, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), 9, 30)).toISOString();
  // Deleted within the last 20 days, so the server's start-up purge (older than 30 days) leaves them alone.
  const deleted = rand() < 0.01 ? new Date(now.getTime() - (1 + Math.floor(rand() * 20)) * 86_400_000).toISOString() : null;
  return { data, created, deleted };
}

/** Seeds `count` people (with e-mails, tags and memberships of the current and previous year) into a fresh SQLite folder. */
export async function seed(dataDir, { count = 50_000, batch = 1000, seed: seedValue = 42 } = {}) {
  const rand = prng(seedValue);
  const storage = openStorage({ databaseUrl: '', dataDir });
  const started = performance.now();
  try {
    const { db } = storage;
    await migrateToLatest(db);
    const migrated = performance.now();
    const year = new Date().getFullYear(); // Fiscal year starts in January by default (settings).
    const rareNames = [];
    const counts = { people: 0, emails: 0, tags: 0, memberships: 0, deleted: 0, organisations: 0 };
    const statusCounts = {};
    let family = null;
    for (let start = 1; start <= count; start += batch) {
      const people = [];
      const emails = [];
      const tags = [];
      const memberships = [];
      for (let id = start; id < Math.min(start + batch, count + 1); id++) {
        const { data, created, deleted } = makePerson(rand, id, rareNames, family);
        family = null;
        // About 8% of individuals share a household address with the next person.
        if (data.kind === 'individual' && rand() < 0.08) {
          const last = data.sort_name ? data.sort_name.split(', ')[0] : data.display_name.split(' ').slice(1).join(' ');
          family = { last, email: `famille.${localPart(last)}${id % 997}@${pick(rand, ['skynet.be', 'telenet.be', 'gmail.com', 'free.fr'])}` };
          data.emails = [...new Set([data.emails[0], family.email])];
        }
        people.push({ id, ...personColumns(data), created_at: created, updated_at: created, deleted_at: deleted });
        data.emails.forEach((email, position) => emails.push({ person_id: id, email, position }));
        for (const tag of data.tags) tags.push({ person_id: id, tag });
        if (rand() < 0.8) {
          const status = weighted(rand, STATUSES)[0];
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          memberships.push({
            person_id: id, year, status, effective: status === 'member' && rand() < 0.6 ? 1 : 0,
            changed_on: isoDate(year, 1, 1 + Math.floor(rand() * 28)), source: rand() < 0.7 ? 'payment' : 'manual',
            decision_ref: status === 'excluded' ? `AG-${year}-${1 + Math.floor(rand() * 4)}` : null, note: null, updated_at: created,
          });
        }
        if (rand() < 0.7) {
          const status = weighted(rand, STATUSES)[0];
          memberships.push({
            person_id: id, year: year - 1, status, effective: 0, changed_on: isoDate(year - 1, 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 28)),
            source: 'payment', decision_ref: status === 'excluded' ? `AG-${year - 1}-1` : null, note: null, updated_at: created,
          });
        }
        counts.deleted += deleted ? 1 : 0;
        counts.organisations += data.kind === 'organisation' ? 1 : 0;
      }
      await db.transaction().execute(async (trx) => {
        // 19 columns x 1000 rows stays under SQLite's 32766 bound parameters.
        await trx.insertInto('people').values(people).execute();
        for (let k = 0; k < emails.length; k += 2000) await trx.insertInto('person_emails').values(emails.slice(k, k + 2000)).execute();
        for (let k = 0; k < tags.length; k += 5000) await trx.insertInto('person_tags').values(tags.slice(k, k + 5000)).execute();
        for (let k = 0; k < memberships.length; k += 2000) await trx.insertInto('memberships').values(memberships.slice(k, k + 2000)).execute();
      });
      counts.people += people.length;
      counts.emails += emails.length;
      counts.tags += tags.length;
      counts.memberships += memberships.length;
    }
    // No ANALYZE: the application never runs it, so the planner sees what a real installation has.
    storage.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const seconds = (performance.now() - started) / 1000;
    return { seconds, migrateSeconds: (migrated - started) / 1000, counts, statusCounts, year, rareNames, path: storage.sqlitePath };
  } finally {
    await storage.close();
  }
}
