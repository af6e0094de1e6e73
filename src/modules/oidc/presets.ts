/** What a preset fills for an app: how it authenticates at the token endpoint, the scopes it asks for, and a settings hint. */
export interface Preset {
  authMethod: 'client_secret_basic' | 'client_secret_post';
  scopes: string;
  /** Where the app's callback usually lives, relative to the app's base URL (shown as a hint). */
  callbackHint: string;
}

/** Presets for the apps collectives run; `generic` suits any standard OpenID Connect client. */
export const PRESETS = {
  generic: { authMethod: 'client_secret_basic', scopes: 'openid profile email groups offline_access', callbackHint: '' },
  nextcloud: { authMethod: 'client_secret_basic', scopes: 'openid profile email groups', callbackHint: '/apps/user_oidc/code' },
  mattermost: { authMethod: 'client_secret_post', scopes: 'openid profile email', callbackHint: '/signup/gitlab/complete' },
  synapse: { authMethod: 'client_secret_basic', scopes: 'openid profile email', callbackHint: '/_synapse/client/oidc/callback' },
  grafana: { authMethod: 'client_secret_basic', scopes: 'openid profile email groups', callbackHint: '/login/generic_oauth' },
  outline: { authMethod: 'client_secret_post', scopes: 'openid profile email', callbackHint: '/auth/oidc.callback' },
  bookstack: { authMethod: 'client_secret_basic', scopes: 'openid profile email groups', callbackHint: '/oidc/callback' },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;

/** The preset names, for validation and the client form. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
