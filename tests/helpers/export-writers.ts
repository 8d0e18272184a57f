import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exportFileName } from '../../domain/exports/export-names.js';
import { EXPORT_EMPTY, type ExportJobContext, type ExportOutput, type ExportRefusal } from '../../server/exports/export-writer.js';
import type { ExportWriters } from '../../server/exports/exports.service.js';

/**
 * Writers for testing the export job machinery (queue, progress, cancel, failure, files, audit)
 * through HTTP, apart from the real writers (tested on their own): each does what a writer may do —
 * write a file, report progress, run a child process until aborted, throw, refuse.
 */
export interface TestWriters {
  writers: ExportWriters;
  /** Children the slow writer started (a `sleep`), to see that cancel stopped them. */
  children: ChildProcess[];
  /** Lets every slow job waiting now finish with a file. */
  release(): void;
  /** What the quick writer writes, by job id. */
  written: Map<string, Buffer>;
}

/** The quick writer's bytes: Chinese text and binary, so a download that re-encodes shows. */
export function bytesOf(job: ExportJobContext): Buffer {
  return Buffer.concat([Buffer.from(`{"type":"FeatureCollection","name":"湖里区 ${job.id}","features":[]}\n`, 'utf8'), Buffer.from([0, 0xff, 0xfe, 0x80])]);
}

export function exportTestWriters(): TestWriters {
  const children: ChildProcess[] = [];
  const written = new Map<string, Buffer>();
  let release = () => undefined as void;
  let gate = new Promise<void>((resolve) => { release = resolve; });

  const finish = (job: ExportJobContext, extension: string, content: Buffer): ExportOutput => {
    const file = path.join(job.directory, `out${extension}`);
    fs.writeFileSync(file, content);
    written.set(job.id, content);
    return {
      ok: true, file, fileName: exportFileName(['厦门市湖里区', '地块', '疑似低效'], job.stamp, extension), rowCount: 3,
      crs: extension === '.geojson' ? 'EPSG:4326' : null, encoding: job.format === 'shapefile' ? job.encoding : null, notes: ['测试写出器'],
    };
  };

  const quick = (extension: string) => async (job: ExportJobContext): Promise<ExportOutput> => {
    job.progress(0.5);
    return finish(job, extension, bytesOf(job));
  };

  /** Runs a child process and reports progress until released (→ a file) or aborted (→ the child killed, nothing kept). */
  const slow = async (job: ExportJobContext): Promise<ExportOutput | ExportRefusal> => {
    const child = spawn('sleep', ['300'], { stdio: 'ignore' });
    children.push(child);
    fs.writeFileSync(path.join(job.directory, 'partial.csv'), '写了一半');
    let step = 0;
    const ticker = setInterval(() => job.progress(Math.min(0.9, ++step / 50)), 50);
    const aborted = new Promise<'aborted'>((resolve) => {
      if (job.signal.aborted) resolve('aborted');
      job.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const outcome = await Promise.race([aborted, gate.then(() => 'released' as const)]);
    clearInterval(ticker);
    child.kill('SIGTERM');
    await exited;
    if (outcome === 'aborted') return { ok: false, reason: 'aborted', message: '已取消' };
    return finish(job, '.csv', Buffer.from('\ufeff宗地编号,面积（m²）\nHL-001,1234.5\n', 'utf8'));
  };

  return {
    children,
    written,
    release() {
      release();
      gate = new Promise<void>((resolve) => { release = resolve; });
    },
    writers: {
      'parcels:geojson': quick('.geojson'),
      'survey:shapefile': quick('.zip'),
      'parcel-card:pdf': quick('.pdf'),
      'parcels:csv': slow,
      'parcels:xlsx': async () => { throw new Error('测试写出器故意失败 / a writer that throws'); },
      'parcels:gpkg': async (job) => {
        job.progress(0.2);
        return { ok: false, reason: EXPORT_EMPTY, message: '没有符合筛选条件的地块：请放宽筛选条件后再导出。' };
      },
    },
  };
}
