import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from '../i18n/index.js';

export const SESSION_COOKIE = 'ruche_session';
export const ANON_COOKIE = 'ruche_anon';
export const LANG_COOKIE = 'ruche_lang';
export const FLASH_COOKIE = 'ruche_flash';

/** Cookie options: HttpOnly, SameSite=Lax, Secure when served over HTTPS. */
export function cookieOptions(request: FastifyRequest, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: request.ctx.config.publicUrl.startsWith('https:'),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

/** A one-time message shown on the next page (after a POST-redirect). */
export interface Flash {
  kind: 'info' | 'error';
  key: string;
  params?: Params;
}

/** Leaves a flash message for the next page. */
export function setFlash(request: FastifyRequest, reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH_COOKIE, JSON.stringify(flash), { ...cookieOptions(request, 300), signed: true });
}

/** Reads and clears the flash message, if any (ignored when its signature is wrong). */
export function takeFlash(request: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    return JSON.parse(unsigned.value) as Flash;
  } catch {
    return null;
  }
}
