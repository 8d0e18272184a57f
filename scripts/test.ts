import { spawnSync } from 'node:child_process';
import { RUNTIME_PACKAGES, TEST_PACKAGES, ensureDebianPackages } from '../server/system/debian-packages.js';

// Install what the suite needs before Vitest starts, so a missing package is one clear message.
try {
  ensureDebianPackages(process.env.DATABASE_URL ? [...RUNTIME_PACKAGES.filter((name) => !name.startsWith('postgresql')), ...TEST_PACKAGES] : [...RUNTIME_PACKAGES, ...TEST_PACKAGES]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const steps: [string, string[]][] = [
  ['npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['npx', ['vue-tsc', '--noEmit', '-p', 'client/tsconfig.json']],
  ['npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
for (const [command, args] of steps) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
