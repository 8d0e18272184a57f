import type { ImportLayer } from './imports.api.js';

export type FieldMapping = Record<string, string | null>;

/**
 * The mapping of a whole import. The server keeps one mapping per import (matched by field name
 * in every layer), so the editor shows it per layer but sends the union: a field edited in one
 * layer changes it in every layer that has it, and no layer loses the fields it alone has.
 */
export function combinedMapping(layers: readonly ImportLayer[], edits: Readonly<FieldMapping> = {}): FieldMapping {
  const mapping: FieldMapping = {};
  for (const layer of layers) {
    if (layer.skipped) continue;
    for (const [source, target] of Object.entries(layer.mapping ?? {})) {
      if (!(source in mapping)) mapping[source] = target;
    }
  }
  return { ...mapping, ...edits };
}

/** The edits that really change something (choosing the proposed target again is no change). */
export function effectiveEdits(layers: readonly ImportLayer[], edits: Readonly<FieldMapping>): FieldMapping {
  const original = combinedMapping(layers);
  return Object.fromEntries(Object.entries(edits).filter(([source, target]) => (original[source] ?? null) !== target));
}

/**
 * Targets chosen for more than one field of a layer. Only the first would be used on commit,
 * so the editor marks the others.
 */
export function duplicateTargets(layer: ImportLayer, mapping: Readonly<FieldMapping>): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const field of layer.fields) {
    const target = mapping[field.name];
    if (!target) continue;
    if (seen.has(target)) duplicates.add(target);
    seen.add(target);
  }
  return duplicates;
}

/** The first non-empty value of each field in a few feature rows, shown beside the field as an example. */
export function exampleValues(rows: readonly Record<string, unknown>[], fields: readonly string[]): Record<string, string> {
  const examples: Record<string, string> = {};
  for (const field of fields) {
    const row = rows.find((candidate) => {
      const value = candidate[field];
      return value !== null && value !== undefined && String(value).trim() !== '';
    });
    if (row) examples[field] = String(row[field]);
  }
  return examples;
}
