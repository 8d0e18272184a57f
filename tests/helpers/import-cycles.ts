import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Files whose imports are read: TypeScript and the `<script>` blocks of Vue components. */
const SOURCE_FILE = /\.(ts|mts|vue)$/;
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.data', '.git']);

/** One knot of files that import each other, directly or through others (a strongly connected component). */
export interface ImportCycle {
  /** Every file of the knot, relative to the base folder, sorted. */
  files: string[];
  /** One way round: the first file, the files it leads through, the first file again. */
  path: string[];
}

export interface ImportCycleOptions {
  /** The folder paths are resolved and reported against (the repository). */
  base: string;
  /** Specifier prefixes mapped to folders under `base`, e.g. `{ '@domain/': 'domain/' }`. */
  aliases?: Record<string, string>;
}

/**
 * Finds the import cycles that reach into `roots` (folders under `base`). Every import counts:
 * `import` and `import type`, `export … from`, `import()` of a literal path and `typeof import()`.
 * Imports are followed out of the roots too (into `domain/`, say), so a knot is found wherever it
 * closes; only knots with a file under one of the roots are reported.
 */
export function findImportCycles(roots: string[], options: ImportCycleOptions): ImportCycle[] {
  const base = path.resolve(options.base);
  const aliases = Object.entries(options.aliases ?? {});
  const rootFolders = roots.map((root) => path.resolve(base, root));
  const edges = new Map<string, string[]>();
  const pending = rootFolders.flatMap(sourceFiles);
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (edges.has(file)) continue;
    const targets = importSpecifiers(file)
      .map((specifier) => resolveSpecifier(specifier, file, base, aliases))
      .filter((target): target is string => target !== null);
    edges.set(file, [...new Set(targets)]);
    pending.push(...targets.filter((target) => !edges.has(target)));
  }
  const underRoots = (file: string) => rootFolders.some((folder) => file.startsWith(folder + path.sep));
  return stronglyConnected(edges)
    .filter((component) => component.length > 1 || edges.get(component[0])!.includes(component[0]))
    .filter((component) => component.some(underRoots))
    .map((component) => ({
      files: component.map((file) => path.relative(base, file)).sort(),
      path: wayRound(component, edges).map((file) => path.relative(base, file)),
    }))
    .sort((a, b) => a.files[0].localeCompare(b.files[0]));
}

/** One line a knot: `a.ts → b.ts → a.ts`, and every file of the knot when there are more on other ways round. */
export function describeCycle(cycle: ImportCycle): string {
  const whole = cycle.files.length > cycle.path.length - 1 ? ` (one way round a knot of ${cycle.files.length} files: ${cycle.files.join(', ')})` : '';
  return cycle.path.join(' → ') + whole;
}

function sourceFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(full);
    return SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The module specifiers a file names; for a .vue file, those of its `<script>` blocks. */
function importSpecifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const code = file.endsWith('.vue') ? [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]).join('\n') : text;
  return ts.preProcessFile(code, true, true).importedFiles.map((reference) => reference.fileName);
}

/** The source file a specifier names, or null for packages, styles, JSON and anything not found. */
function resolveSpecifier(specifier: string, from: string, base: string, aliases: [string, string][]): string | null {
  const bare = specifier.replace(/[?#].*$/, '');
  let target: string | null = null;
  if (bare.startsWith('./') || bare.startsWith('../')) target = path.resolve(path.dirname(from), bare);
  for (const [prefix, folder] of aliases) {
    if (bare.startsWith(prefix)) target = path.resolve(base, folder, bare.slice(prefix.length));
  }
  if (target === null) return null;
  const candidates = [
    target,
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.mjs$/, '.mts'),
    `${target}.ts`,
    path.join(target, 'index.ts'),
  ];
  return candidates.find((candidate) => SOURCE_FILE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) ?? null;
}

/** Tarjan's algorithm: the strongly connected components of the import graph. */
function stronglyConnected(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      components.push(component);
    }
  };
  for (const file of edges.keys()) if (!index.has(file)) visit(file);
  return components;
}

/** A shortest way from the knot's first file (by name) back to itself, through the knot only. */
function wayRound(component: string[], edges: Map<string, string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const target of edges.get(file) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const chain: string[] = [];
        for (let step = file; step !== start; step = cameFrom.get(step)!) chain.unshift(step);
        return [start, ...chain, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, file);
        queue.push(target);
      }
    }
  }
  return [start, start];
}
