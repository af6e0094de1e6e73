import { defineMessages } from '../../i18n/define.js';

/** Messages of the fiscal year overview and the dues policy. */
export const overviewMessages = defineMessages({
  en: {
    'overview.below_minimum': 'Paid below the minimum (not a member)',
    'overview.exempt': 'Exempt',
    'overview.excluded': 'Excluded',
    'overview.resigned': 'Resigned',
    'overview.total': 'Total',
    'overview.policy_saved': 'Dues policy saved; {changed} memberships changed.',
    'overview.statuses_help': 'Not paid yet: a member the year before, or a newcomer, with no dues counted for this year while it or its grace period runs; lapsed: the same once both are over.',
  },
  fr: {
    'overview.below_minimum': 'Payé sous le minimum (pas membre)',
    'overview.exempt': 'Dispensé',
    'overview.excluded': 'Exclu',
    'overview.resigned': 'Démissionnaire',
    'overview.total': 'Total',
    'overview.policy_saved': 'Règles de cotisation enregistrées ; {changed} adhésions modifiées.',
    'overview.statuses_help': "Pas encore payé : membre l'année précédente, ou nouveau venu, sans cotisation comptée pour cet exercice tant que celui-ci ou son délai de grâce court ; échus : les mêmes une fois les deux terminés.",
  },
  nl: {
    'overview.below_minimum': 'Betaald onder het minimum (geen lid)',
    'overview.exempt': 'Vrijgesteld',
    'overview.excluded': 'Uitgesloten',
    'overview.resigned': 'Ontslag genomen',
    'overview.total': 'Totaal',
    'overview.policy_saved': 'Lidgeldregels opgeslagen; {changed} lidmaatschappen gewijzigd.',
    'overview.statuses_help': 'Nog niet betaald: lid het jaar ervoor, of nieuwkomer, zonder lidgeld voor dit boekjaar zolang het of zijn respijt loopt; vervallen: dezelfden zodra beide voorbij zijn.',
  },
});
