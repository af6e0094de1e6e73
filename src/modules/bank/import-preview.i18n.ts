import { defineMessages } from '../../i18n/define.js';

/** Messages of the import preview and of statement files' details. */
export const importPreviewMessages = defineMessages({
  en: {
    'import_preview.proposals': 'Proposed matches for the new credits',
    'import_preview.none': 'No new credits to match.',
    'import_preview.more': 'And {count} more credits, not shown here: they get the same treatment.',
    'import_preview.people': 'Proposed for',
    'import_preview.nobody': 'nobody',
    'import_preview.confidence': 'Confidence',
    'import_preview.reason': 'Reason',
    'import_preview.outcome': 'Outcome',
    'import_preview.auto': 'assigned automatically',
    'import_preview.review': 'to review',
  },
  fr: {
    'import_preview.proposals': 'Correspondances proposées pour les nouveaux crédits',
    'import_preview.none': 'Aucun nouveau crédit à attribuer.',
    'import_preview.more': 'Et {count} autres crédits, non affichés ici : ils sont traités de la même manière.',
    'import_preview.people': 'Proposé pour',
    'import_preview.nobody': 'personne',
    'import_preview.confidence': 'Confiance',
    'import_preview.reason': 'Raison',
    'import_preview.outcome': 'Suite',
    'import_preview.auto': 'attribué automatiquement',
    'import_preview.review': 'à vérifier',
  },
  nl: {
    'import_preview.proposals': 'Voorgestelde koppelingen voor de nieuwe ontvangsten',
    'import_preview.none': 'Geen nieuwe ontvangsten om te koppelen.',
    'import_preview.more': 'En nog {count} ontvangsten, hier niet getoond: ze worden op dezelfde manier behandeld.',
    'import_preview.people': 'Voorgesteld voor',
    'import_preview.nobody': 'niemand',
    'import_preview.confidence': 'Zekerheid',
    'import_preview.reason': 'Reden',
    'import_preview.outcome': 'Gevolg',
    'import_preview.auto': 'automatisch toegewezen',
    'import_preview.review': 'na te kijken',
  },
});
