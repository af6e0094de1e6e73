import { defineMessages } from '../../i18n/define.js';

/** Messages of bank statement imports. */
export const bankMessages = defineMessages({
  en: {
    'bank.unknown_format': 'This file is not a bank statement Ruche can read (CODA, camt.053/054, OFX, QIF or CSV).',
    'bank.unreadable': 'This statement file cannot be read ({where}). {detail}',
    'bank.account_required': 'This file does not say which account it is about: choose the account.',
    'bank.too_large': 'The file is too large (200 MB at most).',
    'bank.binary': 'This file is not text: it cannot be a bank statement.',
    'bank.bad_amount': 'An amount cannot be read ({where}): {detail}',
    'bank.xml_hostile': 'The XML file declares a DTD or entities, which Ruche refuses for safety ({where}).',
    'bank.xml_malformed': 'The XML file is malformed ({where}). {detail}',
  },
  fr: {
    'bank.unknown_format': "Ce fichier n'est pas un extrait bancaire que Ruche sait lire (CODA, camt.053/054, OFX, QIF ou CSV).",
    'bank.unreadable': 'Ce fichier d’extraits ne peut être lu ({where}). {detail}',
    'bank.account_required': 'Ce fichier ne dit pas de quel compte il s’agit : choisissez le compte.',
    'bank.too_large': 'Le fichier est trop volumineux (200 Mo au plus).',
    'bank.binary': "Ce fichier n'est pas du texte : ce ne peut être un extrait bancaire.",
    'bank.bad_amount': 'Un montant ne peut être lu ({where}) : {detail}',
    'bank.xml_hostile': 'Le fichier XML déclare une DTD ou des entités, ce que Ruche refuse par sécurité ({where}).',
    'bank.xml_malformed': 'Le fichier XML est mal formé ({where}). {detail}',
  },
  nl: {
    'bank.unknown_format': 'Dit bestand is geen rekeninguittreksel dat Ruche kan lezen (CODA, camt.053/054, OFX, QIF of CSV).',
    'bank.unreadable': 'Dit uittrekselbestand kan niet gelezen worden ({where}). {detail}',
    'bank.account_required': 'Dit bestand vermeldt niet over welke rekening het gaat: kies de rekening.',
    'bank.too_large': 'Het bestand is te groot (hoogstens 200 MB).',
    'bank.binary': 'Dit bestand is geen tekst: het kan geen rekeninguittreksel zijn.',
    'bank.bad_amount': 'Een bedrag kan niet gelezen worden ({where}): {detail}',
    'bank.xml_hostile': 'Het XML-bestand declareert een DTD of entiteiten, wat Ruche om veiligheidsredenen weigert ({where}).',
    'bank.xml_malformed': 'Het XML-bestand is misvormd ({where}). {detail}',
  },
});
