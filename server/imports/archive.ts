import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { BAD_ARCHIVE, DISK_FULL, DUPLICATE_ENTRY, NESTED_ARCHIVE, PATH_TRAVERSAL, ZIP_BOMB } from '../../domain/import/refusals.js';
import { ImportRefusal } from './import-errors.js';

export interface ArchiveLimits {
  /** Total bytes all entries may expand to. */
  maxTotalBytes: number;
  /** Largest expansion ratio of one entry, and of the archive as a whole (uncompressed / compressed). */
  maxRatio: number;
  maxEntries: number;
  /** How many zips inside zips are opened (one level covers the 'zip of zips' deliveries). */
  maxDepth: number;
  /** Free disk space an upload must leave (bytes): unpacking that would go below it is refused. */
  diskReserveBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 20000,
  maxDepth: 2,
  diskReserveBytes: 1024 ** 3,
};

/** Above this expansion, the archive-wide ratio is checked (small archives of zeros are harmless). */
const RATIO_CHECKED_ABOVE = 64 * 1024 ** 2;

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;

/** Free bytes for an unprivileged writer on the file system of `folder` (or of its nearest existing parent). */
export function freeBytes(folder: string): number {
  let existing = path.resolve(folder);
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  const stats = fs.statfsSync(existing);
  return stats.bavail * stats.bsize;
}

/** The refusal when writing `bytes` more into `folder` would leave less than `reserve` free, else null. */
export function diskReserveRefusal(folder: string, bytes: number, reserve: number): ImportRefusal | null {
  const free = freeBytes(folder);
  if (free - bytes >= reserve) return null;
  return new ImportRefusal(DISK_FULL, `服务器磁盘空间不足：写入约 ${megabytes(bytes)} 后剩余空间将低于保留的 ${megabytes(reserve)}（当前可用 ${megabytes(free)}），已拒绝。请稍后重试或联系管理员清理磁盘。`);
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new ImportRefusal(BAD_ARCHIVE, `压缩包无法打开（${error?.message ?? 'unknown'}）：文件可能已损坏或并非 zip。`));
      else resolve(zip);
    });
  });
}

/**
 * Entry names arrive as raw bytes: UTF-8 when the zip says so, otherwise often GBK from Chinese
 * Windows. Names are only used to place files inside the staging folder.
 */
function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  const utf8Flag = (entry.generalPurposeBitFlag & 0x800) !== 0;
  if (utf8Flag) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return new TextDecoder('gbk').decode(raw);
  }
}

/** A relative path that stays inside the target folder, or null (absolute, drive letters, `..`). */
export function safeRelativePath(name: string): string | null {
  const normalised = name.replace(/\\/g, '/');
  if (normalised.startsWith('/') || /^[a-zA-Z]:/.test(normalised)) return null;
  const parts = normalised.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..' || part.includes('\0'))) return null;
  return parts.join('/');
}

/** A zip's entries read from its central directory, before a byte is written. */
async function readEntries(zip: yauzl.ZipFile, limits: ArchiveLimits, budget: { entries: number }): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (error: Error) => reject(new ImportRefusal(BAD_ARCHIVE, `压缩包读取失败：${error.message}`)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      budget.entries++;
      if (budget.entries > limits.maxEntries) return reject(new ImportRefusal(ZIP_BOMB, `压缩包内文件过多（超过 ${limits.maxEntries} 个）。`));
      entries.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
  return entries;
}

/**
 * Everything that can be known of a zip without unpacking it, checked at once: paths that escape,
 * names twice (or a file and a folder at once), the ratio of an entry and of the whole, the total
 * declared size against the limit, and what will be written against the free-disk reserve.
 * Answers the files, and (`inPlace`) those GDAL reads inside the zip instead (readInPlace).
 */
function planExtraction(entries: readonly yauzl.Entry[], target: string, limits: ArchiveLimits, budget: { bytes: number }, inPlace: boolean): { files: { entry: yauzl.Entry; name: string; relative: string }[]; kept: Set<string> } {
  const files: { entry: yauzl.Entry; name: string; relative: string }[] = [];
  const seen = new Map<string, string>();
  const folders = new Set<string>();
  let declared = 0;
  let compressed = 0;
  for (const entry of entries) {
    const name = entryName(entry);
    const relative = safeRelativePath(name);
    if (relative === null) throw new ImportRefusal(PATH_TRAVERSAL, `压缩包中的路径“${name}”指向压缩包之外，已拒绝。请重新打包后再上传。`);
    const parts = relative.split('/');
    for (let depth = 1; depth < parts.length; depth++) folders.add(parts.slice(0, depth).join('/'));
    if (name.endsWith('/') || relative === '') continue;
    const earlier = seen.get(relative);
    if (earlier !== undefined) throw new ImportRefusal(DUPLICATE_ENTRY, `压缩包中有两个同名文件“${name}”，无法确定用哪一个。请删除重复的文件后重新打包上传。`);
    seen.set(relative, name);
    const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : 0;
    if (ratio > limits.maxRatio && entry.uncompressedSize > 1024 * 1024) {
      throw new ImportRefusal(ZIP_BOMB, `压缩包中的“${name}”压缩比异常（${Math.round(ratio)}:1），疑似压缩炸弹，已拒绝。`);
    }
    declared += entry.uncompressedSize;
    compressed += entry.compressedSize;
    files.push({ entry, name, relative });
  }
  const clash = files.find((file) => folders.has(file.relative));
  if (clash) throw new ImportRefusal(DUPLICATE_ENTRY, `压缩包中的“${clash.name}”既是文件又是文件夹。请重新打包后再上传。`);
  if (budget.bytes + declared > limits.maxTotalBytes) {
    throw new ImportRefusal(ZIP_BOMB, `压缩包解压后共 ${megabytes(budget.bytes + declared)}，超过 ${megabytes(limits.maxTotalBytes)} 上限，已拒绝（未解压任何文件）。请分批上传。`);
  }
  if (declared > RATIO_CHECKED_ABOVE && declared / Math.max(compressed, 1) > limits.maxRatio) {
    throw new ImportRefusal(ZIP_BOMB, `压缩包整体压缩比异常（${Math.round(declared / Math.max(compressed, 1))}:1，${files.length} 个文件共 ${megabytes(declared)}），疑似压缩炸弹，已拒绝（未解压任何文件）。`);
  }
  // What GDAL reads inside the zip is never written to disk (readInPlace).
  const kept = inPlace ? readInPlace(files) : new Set<string>();
  const written = files.filter((file) => !kept.has(file.relative)).reduce((sum, file) => sum + file.entry.uncompressedSize, 0);
  const short = diskReserveRefusal(target, written, limits.diskReserveBytes);
  if (short) throw short;
  budget.bytes += declared;
  return { files, kept };
}

/**
 * Extracts a zip into `target` with the checks a hostile upload needs: no path escapes the
 * target, no name comes twice, the declared sizes (of each entry and of all, nested zips included)
 * stay within the limits and the disk's reserve before anything is written, and the bytes actually
 * written never exceed what was declared (zip bombs with lying headers). Nested zips are opened to
 * a fixed depth. Nothing is written outside `target`; files are readable by this user only.
 */
export async function extractZip(file: string, target: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS, depth = 1, budget = { bytes: 0, entries: 0 }, inZip?: ZipMember[]): Promise<string[]> {
  const zip = await openZip(file);
  const written: string[] = [];
  try {
    // Large shapefiles of the upload itself stay in it, for GDAL to read there (not in nested zips:
    // GDAL reads one level, and their members are named by the pipeline's unpacking).
    const { files: planned, kept } = planExtraction(await readEntries(zip, limits, budget), target, limits, budget, inZip !== undefined && depth === 1);
    for (const member of planned.filter((candidate) => kept.has(candidate.relative))) {
      inZip!.push({ file: path.join(target, member.relative), gdalPath: `/vsizip/{${path.resolve(file)}}/${member.name}` });
    }
    const files = planned.filter((candidate) => !kept.has(candidate.relative));
    const unpacked: string[][] = files.map(() => []);
    // Two members at a time (a shapefile's .dbf and .shp are most of an upload): inflating is one
    // core's work per member. On the first failure no further member starts; those started finish.
    const queue = files.map((file, index) => ({ ...file, index }));
    let failure: unknown = null;
    await Promise.all(Array.from({ length: Math.min(EXTRACTION_WORKERS, queue.length) }, async () => {
      for (let next = queue.shift(); next && failure === null; next = queue.shift()) {
        try {
          unpacked[next.index] = await extractEntry(zip, next, target, limits, depth, budget);
        } catch (error) {
          failure ??= error;
        }
      }
    }));
    if (failure !== null) throw failure;
    written.push(...unpacked.flat());
  } finally {
    zip.close();
  }
  return written;
}

/** Members of one zip inflated at once (see extractZip). */
const EXTRACTION_WORKERS = 2;

/**
 * A member of an uploaded zip left in it: GDAL reads it there (`gdalPath`, /vsizip/), as fast as
 * from a file (it inflates while it reads, on its own core), so a large shapefile is not first
 * unpacked (1.2 s and 560 MB of disk for a 变更调查 of a million 图斑). `file` is where it would
 * have been unpacked: its folder holds the shapefile's small sibling files (.prj, .cpg), unpacked.
 */
export interface ZipMember {
  file: string;
  gdalPath: string;
}

/** Shapefiles whose .shp and .dbf together declare at least this many bytes are read inside their zip. */
export const IN_PLACE_BYTES = 32 * 1024 ** 2;

/**
 * The members of a zip to leave in it: the .shp, .shx and .dbf of each large shapefile (all three
 * there: GDAL cannot restore a .shx inside a zip, and the encoding is read from the .dbf), when every
 * one is stored or deflated (what GDAL reads) and named in ASCII (GDAL decodes other names as
 * CP437, where Chinese tools write GBK) as it unpacks (no `./`, no backslashes).
 */
function readInPlace(files: readonly { entry: yauzl.Entry; name: string; relative: string }[]): Set<string> {
  const parts = new Map<string, { entry: yauzl.Entry; name: string; relative: string }[]>();
  for (const file of files) {
    const extension = path.extname(file.relative).toLowerCase();
    if (!['.shp', '.shx', '.dbf'].includes(extension)) continue;
    const stem = file.relative.slice(0, -extension.length).toLowerCase();
    parts.set(stem, [...(parts.get(stem) ?? []), file]);
  }
  const kept = new Set<string>();
  for (const members of parts.values()) {
    const extensions = members.map((member) => path.extname(member.relative).toLowerCase());
    if (extensions.length !== 3 || new Set(extensions).size !== 3) continue;
    const readable = members.every((member) => [0, 8].includes(member.entry.compressionMethod) && /^[\x20-\x7e]+$/.test(member.name) && member.name === member.relative && !member.name.includes('{'));
    const size = members.filter((member) => !/\.shx$/i.test(member.relative)).reduce((sum, member) => sum + member.entry.uncompressedSize, 0);
    if (readable && size >= IN_PLACE_BYTES) for (const member of members) kept.add(member.relative);
  }
  return kept;
}

/**
 * The first `bytes` bytes of a file, or of a zip member GDAL reads in place (a /vsizip/ path of
 * readInPlace), inflated only that far; fewer when it is shorter.
 */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const member = /^\/vsizip\/\{(.+)\}\/(.+)$/.exec(file);
  if (!member) {
    const handle = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(bytes);
      return head.subarray(0, fs.readSync(handle, head, 0, bytes, 0));
    } finally {
      fs.closeSync(handle);
    }
  }
  const zip = await openZip(member[1]);
  try {
    const entries = await readEntries(zip, { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: Number.MAX_SAFE_INTEGER }, { entries: 0 });
    // The exact name, else in another letter case (a shapefile's DLTB.DBF beside its DLTB.shp).
    const entry = entries.find((candidate) => entryName(candidate) === member[2])
      ?? entries.find((candidate) => entryName(candidate).toLowerCase() === member[2].toLowerCase());
    if (!entry) throw new ImportRefusal(BAD_ARCHIVE, `压缩包中没有“${member[2]}”：Shapefile 须含同名的 .shp、.shx 和 .dbf，请补齐后重新打包上传。`);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (error, readStream) => (error || !readStream ? reject(new ImportRefusal(BAD_ARCHIVE, `压缩包中的“${member[2]}”已损坏（${error?.message ?? 'no data'}）：请重新打包后再上传。`)) : resolve(readStream))));
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= bytes) break;
      }
    } catch (error) {
      throw new ImportRefusal(BAD_ARCHIVE, `压缩包中的“${member[2]}”无法解压（${(error as Error).message}）：文件可能已损坏。请重新打包后再上传。`);
    }
    return Buffer.concat(chunks).subarray(0, bytes);
  } finally {
    zip.close();
  }
}

/** One member of a zip written under \`target\` (a nested zip opened in its turn): the files written. */
async function extractEntry(zip: yauzl.ZipFile, file: { entry: yauzl.Entry; name: string; relative: string }, target: string, limits: ArchiveLimits, depth: number, budget: { bytes: number; entries: number }): Promise<string[]> {
  const { entry, name, relative } = file;
  const written: string[] = [];
  const destination = path.join(target, relative);
  if (!destination.startsWith(path.resolve(target) + path.sep)) throw new ImportRefusal(PATH_TRAVERSAL, `压缩包中的路径“${name}”不安全。`);
  fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
  // Inflate ourselves with 1 MiB chunks: yauzl's default 16 KiB chunks make a 400 MB DBF
  // several times slower to unpack.
  const deflated = entry.compressionMethod === 8;
  const raw = await new Promise<NodeJS.ReadableStream>((resolveStream, rejectStream) =>
    zip.openReadStream(entry, { decompress: deflated ? false : null } as yauzl.ZipFileOptions & { decompress: boolean | null }, (error, readStream) => (error || !readStream
      // A damaged member (bad local header) is a refusal naming it, not an internal failure.
      ? rejectStream(new ImportRefusal(BAD_ARCHIVE, `压缩包中的“${name}”已损坏（${error?.message ?? 'no data'}）：请重新打包后再上传。`))
      : resolveStream(readStream))));

  let seen = 0;
  // Declared sizes can lie: count what actually comes out, and stop at the first byte too many.
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > entry.uncompressedSize) callback(new ImportRefusal(ZIP_BOMB, `压缩包中的“${name}”实际大小超过声明，已拒绝。`));
      else callback(null, chunk);
    },
  });
  const output = fs.createWriteStream(destination, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 });
  try {
    if (deflated) await pipeline(raw, createInflateRaw({ chunkSize: 1024 * 1024 }), guard, output);
    else await pipeline(raw, guard, output);
  } catch (error) {
    if (error instanceof ImportRefusal) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw diskReserveRefusal(target, Number.MAX_SAFE_INTEGER, limits.diskReserveBytes)!;
    throw new ImportRefusal(BAD_ARCHIVE, `压缩包中的“${name}”无法解压（${(error as Error).message}）：文件可能已损坏。请重新打包后再上传。`);
  }
  written.push(destination);
  if (/\.zip$/i.test(relative)) {
    if (depth >= limits.maxDepth) throw new ImportRefusal(NESTED_ARCHIVE, `压缩包嵌套超过 ${limits.maxDepth} 层，请解开后再上传。`);
    const inner = destination.replace(/\.zip$/i, '');
    written.push(...await extractZip(destination, inner, limits, depth + 1, budget));
    fs.rmSync(destination);
  }
  return written;
}
