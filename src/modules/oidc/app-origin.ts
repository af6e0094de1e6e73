import type { FastifyReply } from 'fastify';
import { nowIso } from '../../core/clock.js';
import { allowFormRedirectTo } from '../../http/csp.js';
import type { Db } from '../../storage/database.js';
import { findClient } from './clients.service.js';
import * as repo from './oidc.repository.js';
import { OIDC_PREFIX } from './provider.js';

const INTERACTION_PATH = new RegExp(`^${OIDC_PREFIX}/interaction/([A-Za-z0-9_-]{1,128})(?:/|$)`);

interface InteractionPayload { params?: { client_id?: unknown; redirect_uri?: unknown } }

/**
 * The origin of the app a login goes back to, when `next` is a live login interaction of the provider (its redirect
 * URI, checked against the client's registered ones); null for any other path.
 */
export async function appOriginOf(db: Db, next: string | null | undefined): Promise<string | null> {
  const uid = next ? INTERACTION_PATH.exec(next)?.[1] : undefined;
  if (!uid) return null;
  const row = await repo.selectPayload(db, 'Interaction', uid);
  if (!row || (row.expires_at !== null && row.expires_at <= nowIso())) return null;
  const { params } = JSON.parse(row.payload) as InteractionPayload;
  if (typeof params?.client_id !== 'string' || typeof params.redirect_uri !== 'string') return null;
  const client = await findClient(db, params.client_id);
  if (!client?.redirectUris.includes(params.redirect_uri)) return null;
  const url = new URL(params.redirect_uri);
  return url.origin === 'null' ? url.protocol : url.origin; // a native app's private-use scheme (com.example.app:) as a scheme source
}

/**
 * Lets the forms of a page in a login that continues to an app (login form, second step, consent) be redirected to that
 * app: without it, Chromium stops the last redirect of the submission under `form-action 'self'`.
 */
export async function allowRedirectToApp(db: Db, reply: FastifyReply, next: string | null | undefined): Promise<void> {
  const origin = await appOriginOf(db, next);
  if (origin) allowFormRedirectTo(reply, origin);
}
