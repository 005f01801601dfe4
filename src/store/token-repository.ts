// Access tokens, stored only as SHA-256 hashes so the database never holds a usable token,
// and kept across restarts; and the client-assertion ids (jti) already used, so a replayed
// assertion is refused for as long as it would otherwise be valid.
import type { Db } from './database.js';

export interface StoredToken {
  subject: string;
  expiresAt: number;
  /** Space-separated granted scopes; null = full access. */
  scope: string | null;
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;

export function createTokenRepository(db: Db) {
  const insert = db.prepare('INSERT INTO token (hash, subject, expires_at, scope) VALUES (?, ?, ?, ?)');
  const select = db.prepare('SELECT subject, expires_at AS expiresAt, scope FROM token WHERE hash = ?');
  const purge = db.prepare('DELETE FROM token WHERE expires_at <= ?');
  const claimJti = db.prepare('INSERT OR IGNORE INTO client_assertion (client_id, jti, expires_at) VALUES (?, ?, ?)');
  const purgeJtis = db.prepare('DELETE FROM client_assertion WHERE expires_at <= ?');
  return {
    save(hash: string, subject: string, expiresAt: number, scope: string | null = null): void {
      insert.run(hash, subject, expiresAt, scope);
    },
    find(hash: string): StoredToken | undefined {
      return select.get(hash) as StoredToken | undefined;
    },
    /**
     * Records a client assertion's jti; false when that client already used it. The primary
     * key makes the check and the write one atomic step.
     */
    claimAssertionId(clientId: string, jti: string, expiresAt: number, now: number): boolean {
      purgeJtis.run(now);
      return claimJti.run(clientId, jti, expiresAt).changes === 1;
    },
    deleteExpired(now: number): number {
      purgeJtis.run(now);
      return purge.run(now).changes;
    },
  };
}
