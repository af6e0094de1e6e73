import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';
import { nowIso } from '../../core/clock.js';
import type { Db } from '../../storage/database.js';
import { clientMetadata } from './clients.service.js';
import * as repo from './oidc.repository.js';

type StoredRow = { payload: string; expires_at: string | null; consumed_at: string | null };

function revive(row: StoredRow | undefined): AdapterPayload | undefined {
  if (!row || (row.expires_at !== null && row.expires_at <= nowIso())) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  if (row.consumed_at !== null) payload.consumed = Math.floor(Date.parse(row.consumed_at) / 1000);
  return payload;
}

/** The account a stored instance belongs to, so an account's sessions and tokens can be ended together. */
function accountOf(payload: AdapterPayload): string | null {
  const fromSession = (payload.session as { accountId?: string } | undefined)?.accountId;
  return payload.accountId ?? fromSession ?? null;
}

/** oidc-provider's storage over Ruche's database: every model in `oidc_payloads`, clients read from `oidc_clients`. */
export function databaseAdapter(db: Db): AdapterConstructor {
  return class DatabaseAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      if (this.model === 'Client') return; // clients are managed by Ruche's own service, never registered dynamically
      await repo.upsertPayload(db, {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        account_id: accountOf(payload),
        client_id: payload.clientId ?? null,
        expires_at: expiresIn ? nowIso(new Date(Date.now() + expiresIn * 1000)) : null,
        consumed_at: typeof payload.consumed === 'number' ? nowIso(new Date(payload.consumed * 1000)) : null,
      });
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return clientMetadata(db, id);
      return revive(await repo.selectPayload(db, this.model, id));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return revive(await repo.selectPayloadBy(db, this.model, 'uid', uid));
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return revive(await repo.selectPayloadBy(db, this.model, 'user_code', userCode));
    }

    async consume(id: string): Promise<void> {
      await repo.markPayloadConsumed(db, this.model, id, nowIso());
    }

    async destroy(id: string): Promise<void> {
      await repo.deletePayload(db, this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await repo.deletePayloadsOfGrant(db, this.model, grantId);
    }
  };
}
