import { z } from 'zod';
import { PRESET_NAMES } from './presets.js';

/** A list given as an array, or as text with one item per line or separated by spaces (forms, CLI). */
const list = (item: z.ZodType<string>) => z.preprocess(
  (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v.flatMap(splitText) : splitText(v)),
  z.array(item),
);

function splitText(value: unknown): unknown[] {
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [value];
}

/** A redirect URI: absolute, no fragment; plain http only for the local machine (development, native apps). */
const redirectUri = z.string().max(2000).refine((value) => {
  try {
    const url = new URL(value);
    if (url.hash || value.includes('#')) return false;
    if (url.protocol === 'https:') return true;
    if (url.protocol === 'http:') return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol); // private-use schemes of native apps (com.example.app:)
  } catch {
    return false;
  }
}, { error: 'oidc.redirect_uri_invalid' });

/** A storage quota as Nextcloud takes it: `5 GB`, `500 MB`, a number of bytes, `default` (the app's own) or `none` (unlimited). */
const quota = z.string().max(20).regex(/^(default|none|\d+(\.\d+)? ?([KMGT]?B)?)$/i, { error: 'oidc.quota_invalid' });

const flag = z.preprocess((v) => v === true || v === 'true' || v === 'on' || v === '1', z.boolean());
const flagDefaultTrue = z.preprocess((v) => (v === undefined ? true : v === true || v === 'true' || v === 'on' || v === '1'), z.boolean());

/** Input to register a client (pages, API and CLI). */
export const clientCreateInput = z.object({
  name: z.string().trim().min(1).max(100),
  redirect_uris: list(redirectUri).pipe(z.array(z.string()).min(1, { error: 'oidc.redirect_uri_required' }).max(20)),
  post_logout_redirect_uris: list(redirectUri).pipe(z.array(z.string()).max(20)),
  backchannel_logout_uri: z.preprocess((v) => (v === '' ? undefined : v), redirectUri.optional()),
  public: flag,
  first_party: flagDefaultTrue,
  preset: z.preprocess((v) => (v === '' || v === undefined ? 'generic' : v), z.enum(PRESET_NAMES)),
  allowed_groups: list(z.string().trim().min(1).max(100)).pipe(z.array(z.string()).max(50)),
  quota: z.preprocess((v) => (typeof v === 'string' ? v.trim() || undefined : v), quota.optional()),
});
export type ClientCreateInput = z.input<typeof clientCreateInput>;
