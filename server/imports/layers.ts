import fs from 'node:fs';
import path from 'node:path';
import { BAD_GEOPACKAGE, NO_LAYERS, NOT_A_SHAPEFILE } from '../../domain/import/refusals.js';
import { readHead, type ZipMember } from './archive.js';
import { ImportRefusal } from './import-errors.js';

export type LayerFormat = 'shapefile' | 'filegdb' | 'gpkg' | 'geojson' | 'butiao';

/** A data source found in an upload: a shapefile (with its sibling files), a .gdb folder, a GeoPackage, a GeoJSON file, a 部标 txt. */
export interface FoundSource {
  format: LayerFormat;
  /** Absolute path of the .shp, the .gdb folder, the .gpkg, the .geojson or the .txt (a /vsizip/ path for a shapefile read in its zip). */
  path: string;
  /** Display name: the path inside the upload. */
  name: string;
  /** Shapefile siblings by lower-case extension (.dbf, .shx, .prj, .cpg): a file, or a /vsizip/ path for a member left in its zip. */
  siblings: Record<string, string>;
}

/**
 * A File Geodatabase is a folder holding its catalogue table `a00000001.gdbtable`, whatever the
 * folder is called: ArcGIS and 7-Zip ship `X.gdb.zip` holding `X.gdb/`, which unpacks to
 * `X.gdb/X.gdb/`, and some tools zip the tables without their folder.
 */
function isFileGeodatabase(directory: string): boolean {
  return fs.readdirSync(directory).some((name) => name.toLowerCase() === 'a00000001.gdbtable');
}

/** The files of an unpacked upload, and its File Geodatabase folders (not descended into). */
function walk(directory: string, found: { files: string[]; geodatabases: string[] } = { files: [], geodatabases: [] }) {
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (!entry.isDirectory()) found.files.push(full);
    else if (isFileGeodatabase(full)) found.geodatabases.push(full);
    else walk(full, found);
  }
  return found;
}

/** True when the file (or zip member, see readHead) starts with the shapefile magic number (9994, big-endian). */
export async function hasShapefileHeader(file: string): Promise<boolean> {
  const header = await readHead(file, 100);
  return header.length >= 100 && header.readInt32BE(0) === 9994;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * What is wrong with a file named .gpkg, read from its 100-byte SQLite header without opening it:
 * not SQLite at all (a renamed file, an HTML error page), or shorter than the pages its header
 * declares (an interrupted download or copy). Null when the header is sound; GDAL then reads it.
 */
export function geoPackageProblem(file: string, name = path.basename(file)): string | null {
  const handle = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(handle).size;
    const header = Buffer.alloc(100);
    const read = fs.readSync(handle, header, 0, 100, 0);
    const redo = '请在 QGIS（导出 → 另存为 GeoPackage）或 ArcGIS Pro（要素类至 GeoPackage）中重新导出后上传。';
    if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
      return `“${name}”不是 GeoPackage 文件（文件头不是 SQLite 数据库，可能是改了扩展名的其他文件）：${redo}`;
    }
    const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
    // The page count in the header is valid when its "version-valid-for" number equals the change counter.
    const pages = header.readUInt32BE(92) === header.readUInt32BE(24) ? header.readUInt32BE(28) : 0;
    if (pageSize < 512 || size % pageSize !== 0 || (pages > 0 && size < pages * pageSize)) {
      const expected = pages > 0 ? `，应为 ${pages * pageSize} 字节` : '';
      return `“${name}”不完整（${size} 字节${expected}）：文件在下载或复制时被截断。${redo}`;
    }
    return null;
  } finally {
    fs.closeSync(handle);
  }
}

/**
 * Finds the layers of an unpacked upload, with the members left in their zip (`inZip`, found where
 * they would have been unpacked). Extensions may be in any letter case and files may sit in
 * sub-folders. A `.shp` that is not a shapefile (a renamed DBF, say) is reported, not read.
 */
export async function findSources(root: string, inZip: readonly ZipMember[] = []): Promise<{ sources: FoundSource[]; refused: { name: string; reason: string; message: string }[] }> {
  const { files: unpacked, geodatabases } = walk(root);
  // Where GDAL and readHead find each file: a member left in its zip by its /vsizip/ path.
  const located = new Map<string, string>(inZip.map((member) => [member.file, member.gdalPath]));
  const files = [...unpacked, ...inZip.map((member) => member.file)];
  const at = (file: string) => located.get(file) ?? file;
  const sources: FoundSource[] = [];
  const refused: { name: string; reason: string; message: string }[] = [];
  const byStem = new Map<string, Record<string, string>>();
  for (const file of files) {
    const extension = path.extname(file).toLowerCase();
    const stem = file.slice(0, file.length - extension.length).toLowerCase();
    if (['.shp', '.dbf', '.shx', '.prj', '.cpg'].includes(extension)) {
      byStem.set(stem, { ...(byStem.get(stem) ?? {}), [extension]: at(file) });
    }
  }
  // The tables zipped without their folder unpack straight into the root.
  if (isFileGeodatabase(root)) sources.push({ format: 'filegdb', path: root, name: path.basename(root), siblings: {} });
  for (const folder of geodatabases) sources.push({ format: 'filegdb', path: folder, name: path.relative(root, folder), siblings: {} });
  for (const file of files) {
    const name = path.relative(root, file);
    const extension = path.extname(file).toLowerCase();
    if (extension === '.shp') {
      const siblings = byStem.get(file.slice(0, file.length - extension.length).toLowerCase()) ?? {};
      if (!await hasShapefileHeader(at(file))) {
        refused.push({ name, reason: NOT_A_SHAPEFILE, message: `“${name}”不是有效的 Shapefile（文件头不是 .shp 格式，可能是改了扩展名的其他文件）。` });
        continue;
      }
      sources.push({ format: 'shapefile', path: at(file), name, siblings });
    } else if (extension === '.gpkg') {
      const problem = geoPackageProblem(file, name);
      if (problem) refused.push({ name, reason: BAD_GEOPACKAGE, message: problem });
      else sources.push({ format: 'gpkg', path: file, name, siblings: {} });
    } else if (['.geojson', '.json', '.geojsonl', '.geojsons', '.ndjson'].includes(extension)) {
      sources.push({ format: 'geojson', path: file, name, siblings: {} });
    } else if (extension === '.txt' && !/readme/i.test(name)) {
      sources.push({ format: 'butiao', path: file, name, siblings: {} });
    }
  }
  if (sources.length === 0 && refused.length === 0) {
    throw new ImportRefusal(NO_LAYERS, '上传的文件中没有可导入的图层。支持：Shapefile（含 .shp/.shx/.dbf，可打包为 zip）、File Geodatabase（.gdb 文件夹打包为 zip）、GeoPackage（.gpkg）、GeoJSON、部标坐标 txt。');
  }
  return { sources, refused };
}
