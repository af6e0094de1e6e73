import type { MessageKey } from '../../i18n/index.js';
import { type ClaimsSource, type PresetName, presetOf } from './presets.js';
import { issuerOf } from './provider.js';

/** The values of one registered client that go into an app's settings. */
export interface RecipeValues {
  publicUrl: string;
  clientId: string;
  /** The secret (shown once, at registration), or null: a placeholder is written instead. */
  secret: string | null;
  public: boolean;
}

/** What to type in an app's settings for a client registered with a preset. */
export interface Recipe {
  app: string;
  issuer: string;
  discovery: string;
  clientId: string;
  scopes: string;
  authMethod: string;
  pkce: boolean;
  /** The callback to register, relative to the app's address ('' when the app says it). */
  callbackHint: string;
  claimsIn: ClaimsSource;
  claims: string[];
  /** Where the snippet goes (a file, a command, a settings screen), as a message key. */
  where: MessageKey;
  snippet: string;
}

const SECRET_PLACEHOLDER = '<client secret>';

interface Endpoints { issuer: string; auth: string; token: string; userinfo: string; logout: string; gitlabUser: string; discovery: string }

function endpointsOf(publicUrl: string): Endpoints {
  const issuer = issuerOf(publicUrl);
  return {
    issuer, auth: `${issuer}/auth`, token: `${issuer}/token`, userinfo: `${issuer}/me`, logout: `${issuer}/session/end`,
    gitlabUser: `${publicUrl}/api/v4/user`, discovery: `${issuer}/.well-known/openid-configuration`,
  };
}

type Snippet = (e: Endpoints, id: string, secret: string) => { where: MessageKey; lines: string[] };

const SNIPPETS: Record<PresetName, Snippet> = {
  generic: (e, id, secret) => ({
    where: 'oidc.where.generic',
    lines: [`issuer: ${e.issuer}`, `discovery: ${e.discovery}`, `client_id: ${id}`, `client_secret: ${secret}`,
      'scopes: openid profile email groups offline_access', 'PKCE: S256'],
  }),
  nextcloud: (e, id, secret) => ({
    where: 'oidc.where.nextcloud',
    lines: ['php occ user_oidc:provider Ruche \\', `  --clientid="${id}" \\`, `  --clientsecret="${secret}" \\`,
      `  --discoveryuri="${e.discovery}" \\`, '  --scope="openid email profile groups quota" \\',
      '  --unique-uid=0 --mapping-uid=preferred_username --mapping-display-name=name --mapping-email=email \\',
      '  --mapping-quota=quota --mapping-groups=groups --group-provisioning=1'],
  }),
  mattermost: (e, id, secret) => ({
    where: 'oidc.where.mattermost',
    lines: ['"GitLabSettings": {', '  "Enable": true,', `  "Id": "${id}",`, `  "Secret": "${secret}",`, '  "Scope": "",',
      `  "AuthEndpoint": "${e.auth}",`, `  "TokenEndpoint": "${e.token}",`, `  "UserAPIEndpoint": "${e.gitlabUser}"`, '}'],
  }),
  synapse: (e, id, secret) => ({
    where: 'oidc.where.synapse',
    lines: ['oidc_providers:', '  - idp_id: ruche', '    idp_name: "Ruche"', `    issuer: "${e.issuer}"`, `    client_id: "${id}"`,
      `    client_secret: "${secret}"`, '    client_auth_method: client_secret_basic', '    scopes: ["openid", "profile", "email"]',
      '    backchannel_logout_enabled: true', '    user_mapping_provider:', '      config:',
      '        localpart_template: "{{ user.preferred_username }}"', '        display_name_template: "{{ user.name }}"',
      '        email_template: "{{ user.email }}"'],
  }),
  grafana: (e, id, secret) => ({
    where: 'oidc.where.grafana',
    lines: ['[auth.generic_oauth]', 'enabled = true', 'name = Ruche', `client_id = ${id}`, `client_secret = ${secret}`,
      'scopes = openid profile email groups', `auth_url = ${e.auth}`, `token_url = ${e.token}`, `api_url = ${e.userinfo}`,
      'auth_style = InHeader', 'use_pkce = true', 'use_refresh_token = true', 'login_attribute_path = preferred_username',
      'name_attribute_path = name', 'email_attribute_path = email', 'groups_attribute_path = groups',
      "role_attribute_path = contains(groups[*], 'role-admin') && 'Admin' || 'Viewer'"],
  }),
  outline: (e, id, secret) => ({
    where: 'oidc.where.outline',
    lines: [`OIDC_CLIENT_ID=${id}`, `OIDC_CLIENT_SECRET=${secret}`, `OIDC_AUTH_URI=${e.auth}`, `OIDC_TOKEN_URI=${e.token}`,
      `OIDC_USERINFO_URI=${e.userinfo}`, `OIDC_LOGOUT_URI=${e.logout}`, 'OIDC_USERNAME_CLAIM=preferred_username',
      'OIDC_DISPLAY_NAME=Ruche', 'OIDC_SCOPES="openid profile email"'],
  }),
  bookstack: (e, id, secret) => ({
    where: 'oidc.where.bookstack',
    lines: ['AUTH_METHOD=oidc', 'OIDC_NAME=Ruche', 'OIDC_DISPLAY_NAME_CLAIMS=name', `OIDC_CLIENT_ID=${id}`,
      `OIDC_CLIENT_SECRET=${secret}`, `OIDC_ISSUER=${e.issuer}`, 'OIDC_ISSUER_DISCOVER=true', 'OIDC_END_SESSION_ENDPOINT=true',
      'OIDC_USER_TO_GROUPS=true', 'OIDC_GROUPS_CLAIM=groups', 'OIDC_ADDITIONAL_SCOPES=groups', 'OIDC_REMOVE_FROM_GROUPS=true'],
  }),
};

/** What to type in the app's settings for a client of this preset (pages, API and CLI show it after registration). */
export function recipeFor(name: PresetName, values: RecipeValues): Recipe {
  const preset = presetOf(name);
  const endpoints = endpointsOf(values.publicUrl);
  const { where, lines } = SNIPPETS[name](endpoints, values.clientId, values.secret ?? SECRET_PLACEHOLDER);
  return {
    app: preset.app,
    issuer: endpoints.issuer,
    discovery: endpoints.discovery,
    clientId: values.clientId,
    scopes: preset.scopes,
    authMethod: values.public ? 'none' : preset.authMethod,
    pkce: values.public || preset.pkce,
    callbackHint: preset.callbackHint,
    claimsIn: preset.claimsIn,
    claims: [...preset.claims],
    where,
    snippet: lines.join('\n'),
  };
}
