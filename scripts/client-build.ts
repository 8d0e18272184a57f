import fs from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '../server/config.js';

const CLIENT_DIRECTORY = path.join(REPOSITORY_ROOT, 'client');
const BUILT_INDEX = path.join(CLIENT_DIRECTORY, 'dist', 'index.html');

function newestModification(directory: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the client with Vite when `client/dist` is missing or older than its sources. */
export async function ensureClientBuilt(): Promise<void> {
  const sources = Math.max(newestModification(CLIENT_DIRECTORY), newestModification(path.join(REPOSITORY_ROOT, 'domain')));
  if (fs.existsSync(BUILT_INDEX) && fs.statSync(BUILT_INDEX).mtimeMs >= sources) return;
  console.log('正在构建前端 / building the client (vite build) …');
  const { build } = await import('vite');
  await build({ configFile: path.join(CLIENT_DIRECTORY, 'vite.config.ts'), logLevel: 'warn' });
}
