import { defineMessages } from '../../i18n/define.js';

/** Messages of brute-force protection and of the sessions page. */
export const securityMessages = defineMessages({
  en: {
    'security.login_locked': 'Too many failed logins. Try again in {minutes} min, or reset your password.',
    'security.sessions': 'My sessions', 'security.sessions_intro': 'Browsers where you are logged in. End any session you do not recognise.',
    'security.session_opened': 'Opened', 'security.session_seen': 'Last used', 'security.session_browser': 'Browser', 'security.session_address': 'Address',
    'security.this_session': 'this browser', 'security.end_session': 'End', 'security.end_others': 'End all my other sessions',
    'security.session_ended': 'The session was ended.', 'security.others_ended': '{count} other session(s) ended.',
    'security.unknown_browser': 'unknown browser', 'security.no_session': 'No such session.',
    'security.grants': 'Apps', 'security.grants_intro': 'Apps you logged in to with your account. Revoking one stops its access at once; it will have to ask you again.',
    'security.grant_app': 'App', 'security.grant_since': 'Since', 'security.grant_scopes': 'May', 'security.revoke_grant': 'Revoke', 'security.revoke_grant_of': 'Revoke {client}',
    'security.no_grants': 'No app has access to your account.', 'security.grant_revoked': '{client} no longer has access to your account.', 'security.no_grant': 'No such app access.',
  },
  fr: {
    'security.login_locked': 'Trop d’échecs de connexion. Réessayez dans {minutes} min, ou réinitialisez votre mot de passe.',
    'security.sessions': 'Mes sessions', 'security.sessions_intro': 'Les navigateurs où vous êtes connecté·e. Fermez toute session que vous ne reconnaissez pas.',
    'security.session_opened': 'Ouverte le', 'security.session_seen': 'Dernière utilisation', 'security.session_browser': 'Navigateur', 'security.session_address': 'Adresse',
    'security.this_session': 'ce navigateur', 'security.end_session': 'Fermer', 'security.end_others': 'Fermer toutes mes autres sessions',
    'security.session_ended': 'La session a été fermée.', 'security.others_ended': '{count} autre(s) session(s) fermée(s).',
    'security.unknown_browser': 'navigateur inconnu', 'security.no_session': 'Cette session n’existe pas.',
    'security.grants': 'Applications', 'security.grants_intro': 'Les applications où vous vous êtes connecté·e avec votre compte. En révoquer une coupe son accès tout de suite ; elle devra vous le redemander.',
    'security.grant_app': 'Application', 'security.grant_since': 'Depuis', 'security.grant_scopes': 'Peut', 'security.revoke_grant': 'Révoquer', 'security.revoke_grant_of': 'Révoquer {client}',
    'security.no_grants': 'Aucune application n’a accès à votre compte.', 'security.grant_revoked': '{client} n’a plus accès à votre compte.', 'security.no_grant': 'Cet accès n’existe pas.',
  },
  nl: {
    'security.login_locked': 'Te veel mislukte aanmeldingen. Probeer opnieuw over {minutes} min, of stel je wachtwoord opnieuw in.',
    'security.sessions': 'Mijn sessies', 'security.sessions_intro': 'Browsers waar je aangemeld bent. Beëindig elke sessie die je niet herkent.',
    'security.session_opened': 'Geopend', 'security.session_seen': 'Laatst gebruikt', 'security.session_browser': 'Browser', 'security.session_address': 'Adres',
    'security.this_session': 'deze browser', 'security.end_session': 'Beëindigen', 'security.end_others': 'Al mijn andere sessies beëindigen',
    'security.session_ended': 'De sessie is beëindigd.', 'security.others_ended': '{count} andere sessie(s) beëindigd.',
    'security.unknown_browser': 'onbekende browser', 'security.no_session': 'Deze sessie bestaat niet.',
    'security.grants': 'Apps', 'security.grants_intro': 'Apps waarin je met je account aangemeld bent. Trek je er een in, dan verliest ze meteen de toegang; ze zal het je opnieuw moeten vragen.',
    'security.grant_app': 'App', 'security.grant_since': 'Sinds', 'security.grant_scopes': 'Mag', 'security.revoke_grant': 'Intrekken', 'security.revoke_grant_of': '{client} intrekken',
    'security.no_grants': 'Geen enkele app heeft toegang tot je account.', 'security.grant_revoked': '{client} heeft geen toegang meer tot je account.', 'security.no_grant': 'Deze toegang bestaat niet.',
  },
});
