import fp from 'fastify-plugin';
import type { AppInstance } from './app-instance.js';
import type { Settings } from './config.js';

declare module 'fastify' {
  interface FastifyInstance {
    settings: Settings;
  }
}

/** The settings read from the environment at start-up (server/config.ts), for every plugin. */
export const settingsPlugin = fp(async (app: AppInstance, options: { settings: Settings }) => {
  app.decorate('settings', options.settings);
}, { name: 'settings' });
