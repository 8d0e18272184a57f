import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseClient } from './database.js';

/** Who is writing: recorded by the history triggers through transaction-local settings. */
export interface Actor {
  name: string;
  requestId?: string;
}

/**
 * Runs a write in a transaction that names its actor and request, so the audit log (history) says
 * who changed what through which request, whichever table the change touches.
 */
export async function writeAs<T>(db: DatabaseClient, actor: Actor, work: (transaction: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (transaction) => {
    await sql`SELECT set_config('app.actor', ${actor.name}, true), set_config('app.request_id', ${actor.requestId ?? ''}, true)`.execute(transaction);
    return work(transaction);
  });
}
