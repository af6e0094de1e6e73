import { type Command, println } from '../../cli/command.js';
import { inTransaction } from '../../storage/database.js';
import { listClients, removeClient } from './clients.service.js';
import { listSigningKeys, rotateSigningKey } from './keys.service.js';
import { translator } from '../../i18n/index.js';
import { PRESET_NAMES } from './presets.js';
import { recipeText } from './recipes.view.js';
import { registerClient } from './registration.service.js';

const clientAdd: Command = {
  words: ['oidc', 'client', 'add'],
  summary: 'Register an app for single sign-on; prints its client id and secret (the secret only this once).',
  usage: `--name N --redirect-uri URI [--redirect-uri URI...] [--post-logout-redirect-uri URI...] [--public] [--third-party] [--preset ${PRESET_NAMES.join('|')}] [--group NAME...] [--backchannel-logout-uri URI] [--quota SIZE] [--json]`,
  options: {
    name: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, 'post-logout-redirect-uri': { type: 'string', multiple: true },
    public: { type: 'boolean' }, 'third-party': { type: 'boolean' }, preset: { type: 'string' }, group: { type: 'string', multiple: true },
    'backchannel-logout-uri': { type: 'string' }, quota: { type: 'string' }, json: { type: 'boolean' },
  },
  permission: 'oidc:manage',
  async run({ ctx, values, actor, out }) {
    const { client, secret, issuer, recipe } = await registerClient(ctx.db, actor, ctx.config.publicUrl, {
      name: values.name, redirect_uris: values['redirect-uri'], post_logout_redirect_uris: values['post-logout-redirect-uri'],
      public: values.public === true, first_party: values['third-party'] !== true, preset: values.preset,
      allowed_groups: values.group, backchannel_logout_uri: values['backchannel-logout-uri'], quota: values.quota,
    });
    const t = translator('en');
    if (values.json) {
      println(out, JSON.stringify({
        client_id: client.clientId, client_secret: secret, issuer, name: client.name, preset: client.preset, redirect_uris: client.redirectUris,
        quota: client.quota, recipe: { ...recipe, where: t(recipe.where) },
      }));
    } else {
      println(out, `Registered ${client.name} (${client.preset}).`);
      println(out, `issuer:        ${issuer}`);
      println(out, `client id:     ${client.clientId}`);
      if (secret) println(out, `client secret: ${secret}\n(copy the secret now: it is stored hashed and will not be shown again)`);
      else println(out, 'public client: no secret, PKCE (S256) required');
      println(out, recipeText(t, recipe));
    }
    return 0;
  },
};

const clientList: Command = {
  words: ['oidc', 'client', 'list'],
  summary: 'List the apps registered for single sign-on.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'oidc:manage',
  async run({ ctx, values, out }) {
    const clients = await listClients(ctx.db);
    if (values.json) println(out, JSON.stringify(clients));
    else for (const c of clients) println(out, `${c.clientId}  ${c.name.padEnd(24)} ${c.preset.padEnd(10)} ${c.public ? 'public' : 'confidential'}${c.firstParty ? '' : ' third-party'}  ${c.redirectUris.join(' ')}`);
    return 0;
  },
};

const clientRemove: Command = {
  words: ['oidc', 'client', 'remove'],
  summary: 'Remove an app: it can no longer log anyone in, and its tokens stop working.',
  usage: 'CLIENT_ID',
  options: {},
  permission: 'oidc:manage',
  async run({ ctx, positionals, actor, out }) {
    if (positionals.length !== 1) throw new Error('give one client id');
    await inTransaction(ctx.db, (trx) => removeClient(trx, actor, positionals[0]));
    println(out, `Removed ${positionals[0]}.`);
    return 0;
  },
};

const keysRotate: Command = {
  words: ['oidc', 'keys', 'rotate'],
  summary: 'Make a new signing key; the old one stays published until the tokens it signed have expired.',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'oidc:manage',
  async run({ ctx, values, out }) {
    const kid = await inTransaction(ctx.db, (trx) => rotateSigningKey(trx, ctx.secret));
    println(out, values.json ? JSON.stringify({ kid }) : `New signing key ${kid}; running servers pick it up within 10 seconds.`);
    return 0;
  },
};

const keysList: Command = {
  words: ['oidc', 'keys', 'list'],
  summary: 'List the signing keys (no key material).',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  permission: 'oidc:manage',
  async run({ ctx, values, out }) {
    const keys = await listSigningKeys(ctx.db);
    if (values.json) println(out, JSON.stringify(keys));
    else for (const k of keys) println(out, `${k.kid}  created ${k.createdAt}${k.retiredAt ? `  retired ${k.retiredAt}, dropped after ${k.dropAfter}` : '  (signing)'}`);
    return 0;
  },
};

/** Single sign-on commands: oidc client add|list|remove, oidc keys rotate|list. */
export const oidcCommands = [clientAdd, clientList, clientRemove, keysRotate, keysList];
