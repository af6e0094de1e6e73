import type { Actor } from '../../core/actor.js';
import { type Db, inTransaction } from '../../storage/database.js';
import { createClient, type OidcClientView } from './clients.service.js';
import type { ClientCreateInput } from './oidc.schema.js';
import { issuerOf } from './provider.js';
import { type Recipe, recipeFor } from './recipes.js';

/** A client just registered, with what its app's settings need: the issuer, the secret (shown this once) and the preset's recipe. */
export interface Registration {
  client: OidcClientView;
  secret: string | null;
  issuer: string;
  recipe: Recipe;
}

/** Registers a client in one transaction; the page, the API and the command line all show what this returns. */
export async function registerClient(db: Db, actor: Actor, publicUrl: string, input: ClientCreateInput | Record<string, unknown>): Promise<Registration> {
  const { client, secret } = await inTransaction(db, (trx) => createClient(trx, actor, input));
  const recipe = recipeFor(client.preset, { publicUrl, clientId: client.clientId, secret, public: client.public });
  return { client, secret, issuer: issuerOf(publicUrl), recipe };
}
