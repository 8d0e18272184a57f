import fs from 'node:fs';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw as deflateRawCallback } from 'node:zlib';

const deflateRaw = promisify(deflateRawCallback) as (buffer: Buffer, options: { level: number; finishFlush: number }) => Promise<Buffer>;

/** Bytes deflated as one piece, and pieces deflated at once (Node's thread pool has 4 threads). */
const CHUNK_BYTES = 8 * 1024 * 1024;
const CHUNKS_IN_FLIGHT = 4;

/** Largest size or offset a zip without Zip64 records can state. */
const ZIP32_LIMIT = 0xffff_ffff;

/**
 * Writes files into a zip, streaming: each file is read in 8 MiB chunks, deflated (level 1: the
 * files are big, time matters more than a few per cent) four chunks at once and written in order,
 * so memory stays flat (some 64 MB) whatever the size and the deflating uses every core.
 * Names are UTF-8 with the language-encoding flag (bit 11) set, so Chinese names arrive intact in
 * Windows Explorer, 7-Zip, macOS and the product's own import. No Zip64: a file or archive over
 * 4 GiB is refused with a message (a 1 M-parcel Shapefile is well under).
 */
export async function writeZip(target: string, entries: readonly { name: string; file: string }[], signal?: AbortSignal): Promise<void> {
  const output = fs.createWriteStream(target);
  const central: Buffer[] = [];
  let offset = 0;
  const write = async (chunk: Buffer) => {
    offset += chunk.length;
    if (!output.write(chunk)) await once(output, 'drain');
  };
  try {
    for (const entry of entries) {
      signal?.throwIfAborted();
      const name = Buffer.from(entry.name, 'utf8');
      const headerOffset = offset;
      const { time, date } = dosTime(fs.statSync(entry.file).mtime);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
      local.writeUInt16LE(0x0808, 6); // bit 3: sizes in the data descriptor; bit 11: UTF-8 names
      local.writeUInt16LE(8, 8); // deflate
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt16LE(name.length, 26);
      await write(Buffer.concat([local, name]));
      let crc = 0;
      let size = 0;
      let compressed = 0;
      // pigz's way: the file is cut into chunks deflated independently, several at once on the
      // thread pool (each ends on a byte boundary without the final bit, the last one with it), and
      // written in order: a 700 MB DBF compresses on every core, the chunks' output one valid stream.
      const pending: Promise<Buffer>[] = [];
      const flushOne = async () => {
        const chunk = await pending.shift()!;
        compressed += chunk.length;
        await write(chunk);
      };
      const stream = fs.createReadStream(entry.file, { highWaterMark: CHUNK_BYTES });
      let previous: Buffer | null = null;
      const deflateChunk = (chunk: Buffer, last: boolean) => deflateRaw(chunk, { level: 1, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        signal?.throwIfAborted();
        crc = crc32(chunk, crc);
        size += chunk.length;
        // A chunk is handed on when the next arrives, so the last one is known and finishes the stream.
        if (previous) pending.push(deflateChunk(previous, false));
        previous = chunk;
        while (pending.length >= CHUNKS_IN_FLIGHT) await flushOne();
      }
      pending.push(deflateChunk(previous ?? Buffer.alloc(0), true));
      while (pending.length > 0) await flushOne();
      if (size > ZIP32_LIMIT || compressed > ZIP32_LIMIT || headerOffset > ZIP32_LIMIT) {
        throw new RangeError(`文件 ${entry.name} 超过 4 GB，zip 无法容纳；请缩小导出范围（按行政区或框选分批导出）。`);
      }
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(compressed, 8);
      descriptor.writeUInt32LE(size, 12);
      await write(descriptor);
      const record = Buffer.alloc(46);
      record.writeUInt32LE(0x02014b50, 0);
      record.writeUInt16LE(0x0314, 4); // made by: Unix, 2.0
      record.writeUInt16LE(20, 6);
      record.writeUInt16LE(0x0808, 8);
      record.writeUInt16LE(8, 10);
      record.writeUInt16LE(time, 12);
      record.writeUInt16LE(date, 14);
      record.writeUInt32LE(crc >>> 0, 16);
      record.writeUInt32LE(compressed, 20);
      record.writeUInt32LE(size, 24);
      record.writeUInt16LE(name.length, 28);
      record.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
      record.writeUInt32LE(headerOffset, 42);
      central.push(record, name);
    }
    const directory = Buffer.concat(central);
    const directoryOffset = offset;
    if (directoryOffset > ZIP32_LIMIT) throw new RangeError('导出文件超过 4 GB，zip 无法容纳；请缩小导出范围（按行政区或框选分批导出）。');
    await write(directory);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(directoryOffset, 16);
    await write(end);
    output.end();
    await once(output, 'finish');
  } catch (error) {
    output.destroy();
    throw error;
  }
}

/** MS-DOS time and date of a moment (local time of the server). */
function dosTime(at: Date): { time: number; date: number } {
  const year = Math.max(1980, at.getFullYear());
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}
