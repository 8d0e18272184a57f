import { spawn, spawnSync } from 'node:child_process';
import { RUNTIME_PACKAGES, TEST_PACKAGES, ensureDebianPackages } from '../server/system/debian-packages.js';

// Install what the suite needs before Vitest starts, so a missing package is one clear message.
try {
  ensureDebianPackages(process.env.DATABASE_URL ? [...RUNTIME_PACKAGES.filter((name) => !name.startsWith('postgresql')), ...TEST_PACKAGES] : [...RUNTIME_PACKAGES, ...TEST_PACKAGES]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

/** Runs a command with its output kept apart (two run at once), printed whole when it ends. */
function captured(command: string, args: string[]): Promise<{ title: string; status: number; output: string }> {
  const title = `$ ${command} ${args.join(' ')}`;
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('close', (code) => resolve({ title, status: code ?? 1, output }));
    child.on('error', (error) => resolve({ title, status: 1, output: error.message }));
  });
}

// The two type checks are single-threaded each: side by side they take the time of the longer one.
const checks = await Promise.all([
  captured('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']),
  captured('npx', ['vue-tsc', '--noEmit', '-p', 'client/tsconfig.json']),
]);
for (const check of checks) {
  console.log(`\n${check.title}`);
  if (check.output) process.stdout.write(check.output);
}
if (checks.some((check) => check.status !== 0)) process.exit(1);

console.log(`\n$ npx vitest run ${process.argv.slice(2).join(' ')}`);
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
