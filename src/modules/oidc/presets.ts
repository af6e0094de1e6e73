/** Where an app reads the person's claims: the ID token, the userinfo endpoint, both, or GitLab's `/api/v4/user`. */
export type ClaimsSource = 'id_token' | 'userinfo' | 'id_token+userinfo' | 'gitlab';

/** What a preset fills for an app: how it authenticates at the token endpoint, what it asks, and where it reads claims. */
export interface Preset {
  /** The app's name as people know it. */
  app: string;
  authMethod: 'client_secret_basic' | 'client_secret_post';
  /** True when the app sends a PKCE challenge (S256). */
  pkce: boolean;
  /** The scopes to configure in the app ('' when the app sends none). */
  scopes: string;
  /** Where the app's callback lives, relative to the app's base URL. */
  callbackHint: string;
  claimsIn: ClaimsSource;
  /** The claims the app reads. */
  claims: string[];
  /** The quota claim given when the client has none of its own (null: no quota claim). */
  defaultQuota: string | null;
}

const PROFILE = ['sub', 'preferred_username', 'name', 'email'];

/** Presets for the apps collectives run; `generic` suits any standard OpenID Connect client. */
export const PRESETS = {
  generic: {
    app: 'OpenID Connect', authMethod: 'client_secret_basic', pkce: true, scopes: 'openid profile email groups offline_access',
    callbackHint: '', claimsIn: 'id_token+userinfo', claims: [...PROFILE, 'email_verified', 'locale', 'groups'], defaultQuota: null,
  },
  nextcloud: {
    app: 'Nextcloud (user_oidc)', authMethod: 'client_secret_post', pkce: true, scopes: 'openid email profile groups quota',
    callbackHint: '/apps/user_oidc/code', claimsIn: 'id_token', claims: [...PROFILE, 'groups', 'quota'], defaultQuota: 'default',
  },
  mattermost: {
    app: 'Mattermost (GitLab)', authMethod: 'client_secret_post', pkce: false, scopes: '',
    callbackHint: '/signup/gitlab/complete', claimsIn: 'gitlab', claims: ['id', 'username', 'email', 'name'], defaultQuota: null,
  },
  synapse: {
    app: 'Matrix Synapse', authMethod: 'client_secret_basic', pkce: true, scopes: 'openid profile email',
    callbackHint: '/_synapse/client/oidc/callback', claimsIn: 'id_token', claims: PROFILE, defaultQuota: null,
  },
  grafana: {
    app: 'Grafana', authMethod: 'client_secret_basic', pkce: true, scopes: 'openid profile email groups',
    callbackHint: '/login/generic_oauth', claimsIn: 'id_token+userinfo', claims: [...PROFILE, 'groups'], defaultQuota: null,
  },
  outline: {
    app: 'Outline', authMethod: 'client_secret_post', pkce: false, scopes: 'openid profile email',
    callbackHint: '/auth/oidc.callback', claimsIn: 'userinfo', claims: PROFILE, defaultQuota: null,
  },
  bookstack: {
    app: 'BookStack', authMethod: 'client_secret_basic', pkce: true, scopes: 'openid profile email groups',
    callbackHint: '/oidc/callback', claimsIn: 'id_token', claims: [...PROFILE, 'groups'], defaultQuota: null,
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

/** The preset names, for validation and the client form. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The preset of a name, as the wider `Preset` type. */
export function presetOf(name: PresetName): Preset {
  return PRESETS[name];
}
