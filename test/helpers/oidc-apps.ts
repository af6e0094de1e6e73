// Relying parties that behave like the collective's apps: each preset's scopes, token-endpoint authentication and PKCE
// (or none), run with openid-client against a live Ruche, a person logging in through the browser.
import * as oidc from 'openid-client';
import { expect } from 'vitest';
import { SYSTEM } from '../../src/core/actor.js';
import { createClient, type OidcClientView } from '../../src/modules/oidc/clients.service.js';
import { type PresetName, presetOf } from '../../src/modules/oidc/presets.js';
import { HttpBrowser, type LiveApp, PASSWORD } from './oidc.js';

/** Where the test apps live; each preset's callback path is appended. */
export const APP_BASE = 'https://app.example.org';

/** How an app runs its flow, beyond its preset. */
export interface AppBehaviour {
  /** Sends a nonce (apps that validate the ID token's nonce). */
  nonce?: boolean;
  /** Other authorization parameters the app adds (Nextcloud's `claims`). */
  extra?: Record<string, string>;
  /** The app's own token-endpoint authentication, when it differs from the library's two standard ones. */
  auth?: (secret: string) => oidc.ClientAuth;
  /** Scopes to ask for instead of the preset's (offline_access tests). */
  scope?: string;
  /** Registration input added to the preset's (quota, back-channel URI...). */
  register?: Record<string, unknown>;
}

/** An app registered with a preset and configured the way its recipe says. */
export interface RegisteredApp {
  client: OidcClientView;
  secret: string;
  callback: string;
  config: oidc.Configuration;
}

/** Registers a client with a preset and discovers Ruche as the app would (its token-endpoint authentication). */
export async function registerApp(live: LiveApp, preset: PresetName, behaviour: AppBehaviour = {}): Promise<RegisteredApp> {
  const settings = presetOf(preset);
  const callback = `${APP_BASE}${settings.callbackHint || '/callback'}`;
  const { client, secret } = await createClient(live.ctx.db, SYSTEM, { name: preset, redirect_uris: [callback], preset, ...behaviour.register });
  const standard = settings.authMethod === 'client_secret_post' ? oidc.ClientSecretPost(secret!) : oidc.ClientSecretBasic(secret!);
  const auth = behaviour.auth ? behaviour.auth(secret!) : standard;
  const config = await oidc.discovery(new URL(live.issuer), client.clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
  return { client, secret: secret!, callback, config };
}

/** Runs the app's authorization-code flow for `login` with `browser` (logging in when Ruche asks) and exchanges the code. */
export async function appLogin(live: LiveApp, app: RegisteredApp, preset: PresetName, login: string, behaviour: AppBehaviour = {}, browser = new HttpBrowser(live.base)) {
  const settings = presetOf(preset);
  const scope = behaviour.scope ?? settings.scopes;
  const verifier = settings.pkce ? oidc.randomPKCECodeVerifier() : undefined;
  const state = oidc.randomState();
  const nonce = behaviour.nonce ? oidc.randomNonce() : undefined;
  const params: Record<string, string> = { redirect_uri: app.callback, state, ...(scope ? { scope } : {}), ...behaviour.extra };
  if (nonce) params.nonce = nonce;
  if (verifier) Object.assign(params, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  let step = await browser.follow(oidc.buildAuthorizationUrl(app.config, params).href, app.callback);
  if (!step.url.startsWith(app.callback)) {
    const posted = await browser.submitLogin(login, PASSWORD);
    expect(posted.status, browser.lastPage.slice(0, 300)).toBe(303);
    step = await browser.follow(new URL(posted.headers.get('location')!, live.base).href, app.callback);
  }
  expect(step.url.startsWith(app.callback), `ended at ${step.url}: ${browser.lastPage.slice(0, 300)}`).toBe(true);
  const tokens = await oidc.authorizationCodeGrant(app.config, new URL(step.url), {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: scope.split(' ').includes('openid'),
  });
  return { tokens, browser };
}

/** GET with a bearer token, as apps call the userinfo endpoint or GitLab's user API. */
export async function bearerGet(url: string, accessToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  return { status: response.status, body: response.status === 200 ? await response.json() as Record<string, unknown> : {} };
}
