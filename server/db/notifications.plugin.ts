import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import type { AppInstance } from '../app-instance.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Database notifications by channel (`tile_changes`, `session_changes`), from any process. */
    notifications: EventEmitter;
  }
}

/** Channels raised by the database triggers (migrations 0009, 0011). */
const CHANNELS = ['tile_changes', 'session_changes'] as const;

/**
 * One connection per server listens for changes made by anyone (the API, an import, the CLI, psql),
 * so caches in this process hear of them.
 */
export const notificationsPlugin = fp(async (app: AppInstance) => {
  const notifications = new EventEmitter();
  const listener = await app.pool.connect();
  listener.on('notification', (message) => notifications.emit(message.channel, message.payload ?? ''));
  for (const channel of CHANNELS) await listener.query(`LISTEN ${channel}`);
  app.decorate('notifications', notifications);
  app.addHook('onClose', async () => {
    await listener.query('UNLISTEN *').catch(() => undefined);
    listener.release();
  });
}, { name: 'notifications', dependencies: ['database'] });
