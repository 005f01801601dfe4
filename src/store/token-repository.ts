// Access tokens, stored only as SHA-256 hashes so the database never holds a usable token,
// and kept across restarts.
import type { Db } from './database.js';

export interface StoredToken {
  subject: string;
  expiresAt: number;
}

export type TokenRepository = ReturnType<typeof createTokenRepository>;

export function createTokenRepository(db: Db) {
  const insert = db.prepare('INSERT INTO token (hash, subject, expires_at) VALUES (?, ?, ?)');
  const select = db.prepare('SELECT subject, expires_at AS expiresAt FROM token WHERE hash = ?');
  const purge = db.prepare('DELETE FROM token WHERE expires_at <= ?');
  const shorten = db.prepare('UPDATE token SET expires_at = MIN(expires_at, ?) WHERE hash = ?');
  return {
    save(hash: string, subject: string, expiresAt: number): void {
      insert.run(hash, subject, expiresAt);
    },
    find(hash: string): StoredToken | undefined {
      return select.get(hash) as StoredToken | undefined;
    },
    expire(hash: string, at: number): void {
      shorten.run(at, hash);
    },
    deleteExpired(now: number): number {
      return purge.run(now).changes;
    },
  };
}
