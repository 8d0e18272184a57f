import type { ExportEncoding } from './export-kinds.js';

/** A DBF field name holds at most 10 bytes in the file's encoding. */
export const DBF_NAME_BYTES = 10;

/** Bytes a name takes in the encoding: GBK 1 per ASCII character and 2 per other; UTF-8 1–4. */
export function encodedLength(name: string, encoding: ExportEncoding): number {
  if (encoding === 'UTF-8') return Buffer.byteLength(name, 'utf8');
  let bytes = 0;
  for (const character of name) bytes += character.codePointAt(0)! < 0x80 ? 1 : 2;
  return bytes;
}

export interface DbfName {
  /** The name written into the DBF. */
  name: string;
  /** True when it differs from the field's full name (the field-name sheet says so). */
  renamed: boolean;
}

/**
 * DBF names for fields with full names (and an optional short form an official would type), each
 * within 10 bytes in the encoding and unique (case-insensitively, as dBASE compares): the full name
 * when it fits, else the short form, else the first characters that fit, with a number at the end
 * when two would collide.
 */
export function dbfFieldNames(fields: readonly { name: string; short?: string }[], encoding: ExportEncoding): DbfName[] {
  const taken = new Set<string>();
  return fields.map((field) => {
    const fits = (candidate: string) => encodedLength(candidate, encoding) <= DBF_NAME_BYTES && !taken.has(candidate.toUpperCase());
    let name = [field.name, field.short].find((candidate) => candidate !== undefined && fits(candidate));
    if (name === undefined) {
      const base = truncate(field.short ?? field.name, encoding, DBF_NAME_BYTES);
      name = fits(base) ? base : undefined;
      for (let number = 1; name === undefined; number++) {
        const suffix = String(number);
        name = `${truncate(base, encoding, DBF_NAME_BYTES - suffix.length)}${suffix}`;
        if (!fits(name)) name = undefined;
      }
    }
    taken.add(name.toUpperCase());
    return { name, renamed: name !== field.name };
  });
}

function truncate(name: string, encoding: ExportEncoding, bytes: number): string {
  let result = '';
  for (const character of name) {
    if (encodedLength(result + character, encoding) > bytes) break;
    result += character;
  }
  return result;
}
