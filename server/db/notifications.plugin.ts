import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type pg from 'pg';
import type { AppInstance } from '../app-instance.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Database notifications by channel (`tile_changes`, `session_changes`), from any process. */
    notifications: EventEmitter;
    /** The listening connection: whether it is up, and its backend process id (for health and tests). */
    notificationsConnection: () => { connected: boolean; processId: number | null };
  }
}

/** Channels raised by the database triggers (migrations 0009, 0011). */
const CHANNELS = ['tile_changes', 'session_changes'] as const;
/** First wait before connecting again after the listening connection was lost; doubled up to the maximum. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 10_000;

/**
 * One connection per server listens for changes made by anyone (the API, an import, the CLI, psql),
 * so caches in this process hear of them. When the connection is lost (the database restarted, an
 * administrator ended the backend) the server does not die: it connects again with a growing wait,
 * listens again, and, since changes may have been missed meanwhile, tells every cache to forget
 * everything (`tile_changes` for all layers, `session_changes`).
 */
export const notificationsPlugin = fp(async (app: AppInstance) => {
  const notifications = new EventEmitter();
  let listener: pg.PoolClient | null = null;
  let closing = false;
  let retry: NodeJS.Timeout | null = null;

  async function connect(): Promise<void> {
    const client = await app.pool.connect();
    client.on('notification', (message) => notifications.emit(message.channel, message.payload ?? ''));
    client.on('error', (error) => {
      if (listener !== client) return;
      listener = null;
      app.log.warn({ err: error }, '数据库通知连接中断，正在重连 / notification connection lost, reconnecting');
      client.release(error);
      schedule(RETRY_FIRST_MS);
    });
    try {
      for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    listener = client;
  }

  function schedule(delay: number): void {
    if (closing || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(() => {
        app.log.info('数据库通知连接已恢复 / notification connection restored');
        notifications.emit('tile_changes', JSON.stringify({ layer: '*' }));
        notifications.emit('session_changes', '');
      }, (error: unknown) => {
        // The outage itself is logged once by the availability tracker, not at every attempt.
        app.log.debug({ err: error }, '数据库通知连接重连失败 / reconnect failed');
        schedule(Math.min(delay * 2, RETRY_MAX_MS));
      });
    }, delay);
  }

  await connect();
  app.decorate('notifications', notifications);
  app.decorate('notificationsConnection', () => ({ connected: listener !== null, processId: (listener as unknown as { processID?: number } | null)?.processID ?? null }));
  app.addHook('onClose', async () => {
    closing = true;
    if (retry) clearTimeout(retry);
    const client = listener;
    listener = null;
    if (!client) return;
    await client.query('UNLISTEN *').catch(() => undefined);
    client.release();
  });
}, { name: 'notifications', dependencies: ['database'] });
