import fs from 'node:fs';
import path from 'node:path';
import { ImportRefusal } from './import-errors.js';

export type LayerFormat = 'shapefile' | 'filegdb' | 'geojson' | 'butiao';

/** A data source found in an upload: a shapefile (with its sibling files), a .gdb folder, a GeoJSON file, a 部标 txt. */
export interface FoundSource {
  format: LayerFormat;
  /** Absolute path of the .shp, the .gdb folder, the .geojson or the .txt. */
  path: string;
  /** Display name: the path inside the upload. */
  name: string;
  /** Shapefile siblings by lower-case extension (.dbf, .shx, .prj, .cpg). */
  siblings: Record<string, string>;
}

function walk(directory: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      if (/\.gdb$/i.test(entry.name)) found.push(full);
      else walk(full, found);
    } else {
      found.push(full);
    }
  }
  return found;
}

/** True when the file starts with the shapefile magic number (9994, big-endian). */
export function hasShapefileHeader(file: string): boolean {
  const handle = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    const read = fs.readSync(handle, header, 0, 100, 0);
    return read >= 100 && header.readInt32BE(0) === 9994;
  } finally {
    fs.closeSync(handle);
  }
}

/**
 * Finds the layers of an unpacked upload. Extensions may be in any letter case and files may sit
 * in sub-folders. A `.shp` that is not a shapefile (a renamed DBF, say) is reported, not read.
 */
export function findSources(root: string): { sources: FoundSource[]; refused: { name: string; reason: string; message: string }[] } {
  const files = walk(root);
  const sources: FoundSource[] = [];
  const refused: { name: string; reason: string; message: string }[] = [];
  const byStem = new Map<string, Record<string, string>>();
  for (const file of files) {
    const extension = path.extname(file).toLowerCase();
    const stem = file.slice(0, file.length - extension.length).toLowerCase();
    if (['.shp', '.dbf', '.shx', '.prj', '.cpg'].includes(extension)) {
      byStem.set(stem, { ...(byStem.get(stem) ?? {}), [extension]: file });
    }
  }
  // A File Geodatabase zipped without its .gdb folder: the folder holding a00000001.gdbtable.
  const gdbFolders = new Set(files.filter((file) => /(^|[\\/])a00000001\.gdbtable$/i.test(file)).map((file) => path.dirname(file)));
  for (const folder of gdbFolders) {
    if (!/\.gdb$/i.test(folder)) sources.push({ format: 'filegdb', path: folder, name: path.relative(root, folder) || path.basename(folder), siblings: {} });
  }
  for (const file of files) {
    if (gdbFolders.has(path.dirname(file)) && !/\.gdb$/i.test(path.dirname(file))) continue;
    const name = path.relative(root, file);
    const extension = path.extname(file).toLowerCase();
    if (/\.gdb$/i.test(file) && fs.statSync(file).isDirectory()) {
      sources.push({ format: 'filegdb', path: file, name, siblings: {} });
    } else if (extension === '.shp') {
      const siblings = byStem.get(file.slice(0, file.length - extension.length).toLowerCase()) ?? {};
      if (!hasShapefileHeader(file)) {
        refused.push({ name, reason: 'not_a_shapefile', message: `“${name}”不是有效的 Shapefile（文件头不是 .shp 格式，可能是改了扩展名的其他文件）。` });
        continue;
      }
      sources.push({ format: 'shapefile', path: file, name, siblings });
    } else if (['.geojson', '.json', '.geojsonl', '.geojsons', '.ndjson'].includes(extension)) {
      sources.push({ format: 'geojson', path: file, name, siblings: {} });
    } else if (extension === '.txt' && !/readme/i.test(name)) {
      sources.push({ format: 'butiao', path: file, name, siblings: {} });
    }
  }
  if (sources.length === 0 && refused.length === 0) {
    throw new ImportRefusal('no_layers', '上传的文件中没有可导入的图层。支持：Shapefile（含 .shp/.shx/.dbf，可打包为 zip）、File Geodatabase（.gdb 文件夹打包为 zip）、GeoJSON、部标坐标 txt。');
  }
  return { sources, refused };
}
