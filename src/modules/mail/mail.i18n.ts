import { defineMessages } from '../../i18n/define.js';

/** Messages shared by every mail, and the errors of sending mail. */
export const mailMessages = defineMessages({
  en: {
    'mail.greeting': 'Hello {name},',
    'mail.signature': '{collective}, through Ruche',
    'mail.not_configured': 'This Ruche cannot send mail: no SMTP server is configured (RUCHE_SMTP_URL). Ask an administrator.',
    'mail.send_failed': 'The mail could not be sent ({reason}). Try again later, or tell an administrator.',
  },
  fr: {
    'mail.greeting': 'Bonjour {name},',
    'mail.signature': '{collective}, par Ruche',
    'mail.not_configured': "Ce Ruche ne peut pas envoyer de courriel : aucun serveur SMTP n'est configuré (RUCHE_SMTP_URL). Adressez-vous à un·e administrateur·rice.",
    'mail.send_failed': "Le courriel n'a pas pu être envoyé ({reason}). Réessayez plus tard, ou prévenez un·e administrateur·rice.",
  },
  nl: {
    'mail.greeting': 'Hallo {name},',
    'mail.signature': '{collective}, via Ruche',
    'mail.not_configured': 'Deze Ruche kan geen e-mail versturen: er is geen SMTP-server ingesteld (RUCHE_SMTP_URL). Vraag het aan een beheerder.',
    'mail.send_failed': 'De e-mail kon niet worden verstuurd ({reason}). Probeer het later opnieuw, of verwittig een beheerder.',
  },
});
