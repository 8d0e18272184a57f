import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { describeCycle, findImportCycles } from '../helpers/import-cycles.js';

const repository = fileURLToPath(new URL('../..', import.meta.url));
/** The alias the client (client/vite.config.ts) and the tests use for the shared code. */
const aliases = { '@domain/': 'domain/' };

/** The cycles reaching into `roots`, one line each, so that a failure lists them all. */
function cyclesIn(...roots: string[]): string[] {
  return findImportCycles(roots, { base: repository, aliases }).map(describeCycle);
}

describe('import cycles', () => {
  it('client/src has none', () => {
    expect(cyclesIn('client/src'), 'client/src: import cycles (files that import each other, directly or through others)').toEqual([]);
  });

  it('domain has none', () => {
    expect(cyclesIn('domain'), 'domain: import cycles').toEqual([]);
  });

  it('scripts has none', () => {
    expect(cyclesIn('scripts'), 'scripts: import cycles').toEqual([]);
  });

  it('server has none', () => {
    expect(cyclesIn('server'), 'server: import cycles (a type shared by routes belongs in a module of its own, not in app.ts)').toEqual([]);
  });
});

describe('the import cycle checker', () => {
  let folder = '';

  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  function writeFiles(files: Record<string, string>): string {
    folder = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
      writeFileSync(path.join(folder, name), text);
    }
    return folder;
  }

  it('finds a cycle through a type import, a Vue component, a folder index and a dynamic import', () => {
    const base = writeFiles({
      'src/a.ts': "import type { B } from './b.vue';\nimport { d } from './d.js';\nexport const a = d;\n",
      'src/b.vue': '<template><p /></template>\n<script setup lang="ts">\nimport { lib } from \'./lib\';\n</script>\n',
      'src/lib/index.ts': "export async function lib() {\n  return import('../a.js');\n}\n",
      // A commented import and a stylesheet are not edges.
      'src/d.ts': "// import { a } from './a.js';\nimport './d.css';\nexport const d = 1;\n",
      'src/d.css': 'p {}\n',
      'src/e.ts': "import { a } from './a.js';\nexport const e = a;\n",
    });

    const cycles = findImportCycles(['src'], { base });

    expect(cycles).toEqual([{ files: ['src/a.ts', 'src/b.vue', 'src/lib/index.ts'], path: ['src/a.ts', 'src/b.vue', 'src/lib/index.ts', 'src/a.ts'] }]);
    expect(describeCycle(cycles[0])).toBe('src/a.ts → src/b.vue → src/lib/index.ts → src/a.ts');
  });

  it('follows the @domain alias and export-from, and reports a knot only to the roots it reaches', () => {
    const base = writeFiles({
      'client/x.ts': "export { y } from '@domain/y.js';\nexport const x = 1;\n",
      'domain/y.ts': "import type { x } from '../client/x.js';\nexport const y: typeof x = 1;\n",
      'domain/self.ts': "export * from './self.js';\n",
      'scripts/z.ts': "import { y } from '@domain/y.js';\nexport const z = y;\n",
    });

    expect(findImportCycles(['client'], { base, aliases }).map(describeCycle)).toEqual(['client/x.ts → domain/y.ts → client/x.ts']);
    expect(findImportCycles(['domain'], { base, aliases }).map(describeCycle)).toEqual(['client/x.ts → domain/y.ts → client/x.ts', 'domain/self.ts → domain/self.ts']);
    expect(findImportCycles(['scripts'], { base, aliases })).toEqual([]);
  });
});
