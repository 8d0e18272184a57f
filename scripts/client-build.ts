import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Builds the client with Vite when `client/dist` is missing or older than its sources. The build runs
 * in a process of its own: in the server's process the bundler's and compressor's native memory stayed
 * resident after the build (about 850 MB of the server's RSS on a first start, seen in bench:soak).
 */
export async function ensureClientBuilt(): Promise<void> {
  const sources = Math.max(newestModification(CLIENT_DIRECTORY), newestModification(path.join(REPOSITORY_ROOT, 'domain')));
  if (fs.existsSync(BUILT_INDEX) && fs.statSync(BUILT_INDEX).mtimeMs >= sources) return;
  console.log('正在构建前端 / building the client (vite build) …');
  const viteCli = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = [viteCli, 'build', '--config', path.join(CLIENT_DIRECTORY, 'vite.config.ts'), '--logLevel', 'warn'];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPOSITORY_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}
