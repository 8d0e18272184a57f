import { spawn } from 'node:child_process';

/** What `ogrinfo -so -al` says of one layer. */
export interface LayerInfo {
  name: string;
  geometryType: string;
  featureCount: number;
  extent: { minX: number; minY: number; maxX: number; maxY: number } | null;
  /** The layer's SRS as WKT, or null when GDAL reports none. */
  srsWkt: string | null;
  fields: { name: string; type: string }[];
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a GDAL program without a shell (arguments are never interpreted). */
export function runGdal(program: 'ogrinfo' | 'ogr2ogr', args: string[], options: { onStdout?: (chunk: string) => void; timeoutMs?: number; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(options.signal.reason);
      return;
    }
    // SHAPE_RESTORE_SHX: a shapefile delivered without its .shx index is still readable.
    const child = spawn(program, args, { env: { ...process.env, CPL_DEBUG: 'OFF', SHAPE_RESTORE_SHX: 'YES', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    // A cancelled export stops GDAL at once (its partial output is removed with the job's folder).
    const abort = () => child.kill('SIGKILL');
    options.signal?.addEventListener('abort', abort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < 4_000_000) stdout += chunk;
      options.onStdout?.(chunk);
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 200_000) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      if (options.signal?.aborted) reject(options.signal.reason);
      else resolve({ code, stdout, stderr });
    });
  });
}

const GEOMETRY_LINE = /^Geometry: (.+)$/;
const COUNT_LINE = /^Feature Count: (-?\d+)$/;
const EXTENT_LINE = /^Extent: \(([-\d.e+]+|nan|inf|-inf), ([-\d.e+]+|nan|inf|-inf)\) - \(([-\d.e+]+|nan|inf|-inf), ([-\d.e+]+|nan|inf|-inf)\)$/i;
const FIELD_LINE = /^(.+): (String|Integer|Integer64|Real|Date|DateTime|Time|Binary|IntegerList|Integer64List|RealList|StringList) \(/;

/** Parses `ogrinfo -ro -so -al` output (GDAL 3.6 has no JSON output for ogrinfo). */
export function parseOgrinfo(output: string): LayerInfo[] {
  const layers: LayerInfo[] = [];
  const blocks = output.split(/^Layer name: /m).slice(1);
  for (const block of blocks) {
    const lines = block.split('\n');
    const info: LayerInfo = { name: lines[0].trim(), geometryType: 'Unknown', featureCount: -1, extent: null, srsWkt: null, fields: [] };
    let inSrs = false;
    const srsLines: string[] = [];
    for (let index = 1; index < lines.length; index++) {
      const line = lines[index].replace(/\r$/, '');
      if (inSrs) {
        if (/^(Data axis to CRS axis mapping|Geometry Column|FID Column|[^\s\[\]"][^:]*: (String|Integer|Integer64|Real|Date|DateTime|Time|Binary))/.test(line) && !line.startsWith(' ')) {
          inSrs = false;
        } else {
          srsLines.push(line);
          continue;
        }
      }
      const geometry = GEOMETRY_LINE.exec(line);
      if (geometry) { info.geometryType = geometry[1].trim(); continue; }
      const count = COUNT_LINE.exec(line);
      if (count) { info.featureCount = Number(count[1]); continue; }
      const extent = EXTENT_LINE.exec(line);
      if (extent) {
        const [minX, minY, maxX, maxY] = extent.slice(1, 5).map(Number);
        info.extent = { minX, minY, maxX, maxY };
        continue;
      }
      if (line.startsWith('Layer SRS WKT:')) { inSrs = true; continue; }
      const field = FIELD_LINE.exec(line);
      if (field && !line.startsWith(' ')) info.fields.push({ name: field[1], type: field[2] });
    }
    const wkt = srsLines.join('\n').trim();
    info.srsWkt = wkt === '' || wkt === '(unknown)' ? null : wkt;
    layers.push(info);
  }
  return layers;
}

/**
 * GDAL's environment for reading `source`: a shapefile read inside its zip (/vsizip/, see
 * ZipMember) always has its .shx, and GDAL must not try to restore one there (it would open the
 * zip for writing, and fail).
 */
export function readingEnv(source: string): NodeJS.ProcessEnv {
  return source.startsWith('/vsizip/') ? { SHAPE_RESTORE_SHX: 'NO' } : {};
}

/** Layers of a data source with their fields, extent and SRS. */
export async function inspect(source: string, openOptions: string[] = []): Promise<LayerInfo[]> {
  const result = await runGdal('ogrinfo', ['-ro', '-so', '-al', ...openOptions.flatMap((option) => ['-oo', option]), source], { timeoutMs: 120_000, env: readingEnv(source) });
  if (result.code !== 0) throw new Error(result.stderr.trim() || `ogrinfo exited with ${result.code}`);
  return parseOgrinfo(result.stdout);
}

/** Reads `ogr2ogr -progress` output ("0...10...20...") into a fraction. */
export function progressFromOutput(output: string): number {
  const marks = output.match(/\d+(?=\.\.\.|\s*-\s*done)/g);
  if (!marks || marks.length === 0) return 0;
  return Math.min(1, Number(marks[marks.length - 1]) / 100);
}

/**
 * GDAL's PostgreSQL dataset for a postgres:// URL, and the environment carrying its password
 * (PGPASSWORD: a password on ogr2ogr's command line would show in every local user's `ps`).
 */
export function gdalConnection(url: string): { dataset: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const parts = [
    `host=${parsed.hostname || '127.0.0.1'}`,
    `port=${parsed.port || '5432'}`,
    `dbname=${decodeURIComponent(parsed.pathname.replace(/^\//, ''))}`,
    `user=${decodeURIComponent(parsed.username)}`,
  ];
  return { dataset: `PG:${parts.join(' ')}`, env: parsed.password ? { PGPASSWORD: decodeURIComponent(parsed.password) } : {} };
}
