import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import { BAD_ARCHIVE, NESTED_ARCHIVE, PATH_TRAVERSAL, ZIP_BOMB } from '../../domain/import/refusals.js';
import { ImportRefusal } from './import-errors.js';

export interface ArchiveLimits {
  /** Total bytes all entries may expand to. */
  maxTotalBytes: number;
  /** Largest expansion ratio of one entry (uncompressed / compressed). */
  maxRatio: number;
  maxEntries: number;
  /** How many zips inside zips are opened (one level covers the 'zip of zips' deliveries). */
  maxDepth: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  maxEntries: 20000,
  maxDepth: 2,
};

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

/**
 * Extracts a zip into `target` with the checks a hostile upload needs: no path escapes the
 * target, the declared and the actual sizes stay within limits (zip bombs), nested zips are opened
 * to a fixed depth. Nothing is written outside `target`.
 */
export async function extractZip(file: string, target: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS, depth = 1, budget = { bytes: 0, entries: 0 }): Promise<string[]> {
  const zip = await openZip(file);
  const written: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(new ImportRefusal(BAD_ARCHIVE, `压缩包读取失败：${error.message}`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          const name = entryName(entry);
          budget.entries++;
          if (budget.entries > limits.maxEntries) throw new ImportRefusal(ZIP_BOMB, `压缩包内文件过多（超过 ${limits.maxEntries} 个）。`);
          const relative = safeRelativePath(name);
          if (relative === null) throw new ImportRefusal(PATH_TRAVERSAL, `压缩包中的路径“${name}”指向压缩包之外，已拒绝。请重新打包后再上传。`);
          if (name.endsWith('/')) {
            zip.readEntry();
            return;
          }
          const ratio = entry.compressedSize > 0 ? entry.uncompressedSize / entry.compressedSize : 0;
          if (ratio > limits.maxRatio && entry.uncompressedSize > 1024 * 1024) {
            throw new ImportRefusal(ZIP_BOMB, `压缩包中的“${name}”压缩比异常（${Math.round(ratio)}:1），疑似压缩炸弹，已拒绝。`);
          }
          budget.bytes += entry.uncompressedSize;
          if (budget.bytes > limits.maxTotalBytes) {
            throw new ImportRefusal(ZIP_BOMB, `压缩包解压后超过 ${Math.round(limits.maxTotalBytes / 1024 ** 2)} MB 上限，已拒绝。`);
          }
          const destination = path.join(target, relative);
          if (!destination.startsWith(path.resolve(target) + path.sep)) throw new ImportRefusal(PATH_TRAVERSAL, `压缩包中的路径“${name}”不安全。`);
          fs.mkdirSync(path.dirname(destination), { recursive: true });
          // Inflate ourselves with 1 MiB chunks: yauzl's default 16 KiB chunks make a 400 MB DBF
          // several times slower to unpack.
          const deflated = entry.compressionMethod === 8;
          // A damaged member (bad local header, corrupt deflate data) is a refusal naming it, not an internal failure.
          const damaged = (error: Error) => new ImportRefusal(BAD_ARCHIVE, `压缩包中的“${name}”已损坏（${error.message}）：请重新打包后再上传。`);
          const raw = await new Promise<NodeJS.ReadableStream>((resolveStream, rejectStream) =>
            zip.openReadStream(entry, { decompress: deflated ? false : null } as yauzl.ZipFileOptions & { decompress: boolean | null }, (error, readStream) => (error || !readStream ? rejectStream(damaged(error ?? new Error('no data'))) : resolveStream(readStream))));

          let seen = 0;
          // Declared sizes can lie: count what actually comes out.
          const guard = new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              seen += chunk.length;
              if (seen > entry.uncompressedSize) callback(new ImportRefusal(ZIP_BOMB, `压缩包中的“${name}”实际大小超过声明，已拒绝。`));
              else callback(null, chunk);
            },
          });
          const output = fs.createWriteStream(destination, { flags: 'wx', highWaterMark: 1024 * 1024 });
          try {
            if (deflated) await pipeline(raw, createInflateRaw({ chunkSize: 1024 * 1024 }), guard, output);
            else await pipeline(raw, guard, output);
          } catch (error) {
            throw String((error as { code?: unknown }).code ?? '').startsWith('Z_') ? damaged(error as Error) : error;
          }
          written.push(destination);
          if (/\.zip$/i.test(relative)) {
            if (depth >= limits.maxDepth) throw new ImportRefusal(NESTED_ARCHIVE, `压缩包嵌套超过 ${limits.maxDepth} 层，请解开后再上传。`);
            const inner = destination.replace(/\.zip$/i, '');
            written.push(...await extractZip(destination, inner, limits, depth + 1, budget));
            fs.rmSync(destination);
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return written;
}
