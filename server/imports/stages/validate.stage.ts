import { describeSrid, sridLabel } from '../../../domain/import/crs.js';
import { gcj02Offset } from '../../../domain/gcj02.js';
import type { ImportReport } from '../../../domain/api/imports.schemas.js';
import { missingRequiredTargets, SURVEY_FIELDS } from '../../../domain/import/field-mapping.js';
import type { BatchConversion, ImportLayerState, ImportRow, PreparedSurveyLayer } from '../imports.repository.js';
import { SURVEY_COLUMNS, sourceFieldFor, surveyColumnMaximum } from '../imports.sql.js';
import { databaseDecoding, databaseReprojection, textFields } from '../polygon-layer.reader.js';
import { parcelValues } from './commit-parcels.stage.js';
import type { StageContext } from './stage-context.js';

export type ValidationReport = Omit<ImportReport, 'commit'>;

/** Features checked by one statement. */
const BATCH = 20000;
/** Connections checking a staged layer at once once it is loaded (disjoint batches: both cores of a small server). */
const VALIDATION_WORKERS = 2;
/** How often the rows GDAL has committed are looked for while it loads. */
const FOLLOW_MS = 250;

/** Whether validation writes a layer's kept features into a prepared survey layer (one staged survey layer). */
export function preparesSurveyLayer(row: ImportRow, stagedLayers: number): boolean {
  return row.kind === 'survey' && stagedLayers === 1;
}

/**
 * The geometry check of one staged layer, batch by batch in fid order (validity, repair,
 * ellipsoidal area, extent against the importer's scope; for a single survey layer also written
 * into its prepared layer). It can start while GDAL is still loading the layer (`follow`): GDAL
 * commits every 65 536 rows from one connection, so every fid up to the largest visible one is
 * committed, and the batches up to it are checked with one connection while GDAL and PostgreSQL's
 * COPY use the other core. `finish` checks the rest with both connections once the load is done.
 */
export class LayerCheck {
  #next: number | null = null;
  #prepared: PreparedSurveyLayer | null = null;
  #started = false;
  #stopped = false;
  #mismatches = 0;
  #following: Promise<void> | null = null;
  /** The layer's TBMJ field, compared with each feature's ellipsoidal area. */
  readonly #areaField: string | null;
  /** What GDAL left for PostgreSQL to convert, batch by batch before the check: coordinates, text. */
  readonly #conversion: BatchConversion;

  constructor(
    private readonly context: StageContext,
    private readonly row: ImportRow,
    private readonly layer: ImportLayerState,
    readonly table: string,
    private readonly prepare: boolean,
  ) {
    this.#areaField = layer.fields.find((field) => field.name.toUpperCase() === 'TBMJ')?.name ?? null;
    const encoding = databaseDecoding(layer);
    this.#conversion = { srid: databaseReprojection(layer, row.options.srid), decode: encoding && { encoding, fields: textFields(layer) } };
  }

  /** The validation columns of the staged table (waits for GDAL's transaction in flight) and the prepared layer. */
  async #start(): Promise<void> {
    if (this.#started) return;
    await this.context.imports.prepareValidation(this.table);
    this.#prepared = this.prepare ? await this.context.imports.createPreparedSurveyLayer(this.table, this.row.options.year ?? this.row.year ?? null) : null;
    this.#started = true;
  }

  async #check(from: number): Promise<void> {
    await this.context.imports.convertBatch(this.table, this.#conversion, from, from + BATCH);
    if (!this.#prepared) {
      await this.context.imports.validateBatch(this.table, from, from + BATCH);
      return;
    }
    // Added after the await: `this.#mismatches += await …` would read the sum before it and lose another connection's batch.
    const options = { districts: scopeOf(this.row), areaField: this.#areaField };
    const found = await this.context.imports.validateIntoPrepared(this.table, this.layer, this.#prepared, options, from, from + BATCH);
    this.#mismatches += found;
  }

  /** Checks, with one connection, the batches GDAL has committed, until `loading` settles or `stop`. */
  follow(loading: Promise<unknown>): void {
    let loaded = false;
    void loading.finally(() => { loaded = true; });
    this.#following = (async () => {
      while (!this.#stopped) {
        const committed = await this.context.imports.committedFidRange(this.table);
        if (committed) {
          await this.#start();
          this.#next ??= committed.min;
          // Whole batches only: the last, partial one waits for the rows after it. Once the load is
          // done, `finish` checks the rest with both connections.
          while (!this.#stopped && !loaded && this.#next + BATCH - 1 <= committed.max) {
            await this.#check(this.#next);
            this.#next += BATCH;
          }
        }
        if (loaded) return;
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
      }
    })();
    // A failure is thrown by `finish` (or forgotten by `reset`), not left unhandled meanwhile.
    this.#following.catch(() => undefined);
  }

  /**
   * Stops following and forgets what was checked (GDAL reads the layer again, as when it skips a
   * broken feature: the table is made anew).
   */
  async reset(): Promise<void> {
    this.#stopped = true;
    await this.#following?.catch(() => undefined);
    this.#following = null;
    this.#stopped = false;
    this.#started = false;
    this.#next = null;
    this.#mismatches = 0;
    if (this.#prepared) await this.context.imports.dropPreparedSurveyLayer(this.table);
    this.#prepared = null;
  }

  /** After the load: the batches not yet checked, with both connections. Answers the prepared layer and the TBMJ mismatches found. */
  async finish(onProgress: (fraction: number) => Promise<void>): Promise<{ prepared: PreparedSurveyLayer | null; mismatches: number }> {
    await this.#following;
    await this.#start();
    const range = await this.context.imports.fidRange(this.table);
    const starts: number[] = [];
    for (let start = this.#next ?? range?.min ?? 0; range && start <= range.max; start += BATCH) starts.push(start);
    let finished = 0;
    const queue = [...starts];
    await Promise.all(Array.from({ length: Math.min(VALIDATION_WORKERS, queue.length) }, async () => {
      for (let start = queue.shift(); start !== undefined; start = queue.shift()) {
        await this.#check(start);
        finished++;
        await onProgress(finished / starts.length);
      }
    }));
    return { prepared: this.#prepared, mismatches: this.#mismatches };
  }
}

/**
 * Stage 4, validate: every staged feature checked in PostGIS (validity, repair, ellipsoidal area,
 * agreement with TBMJ within 0.5 %), then the report: counts, warnings, skipped layers, and the
 * first problem features of each layer. `checks` are the layers' checks begun while loading.
 */
export async function validate(context: StageContext, row: ImportRow, layers: ImportLayerState[], checks: ReadonlyMap<string, LayerCheck> = new Map()): Promise<ValidationReport> {
  const report: ValidationReport = { features: 0, valid: 0, repaired: 0, rejected: 0, warnings: [], errors: [], samples: [] };
  const staged = layers.filter((layer) => layer.stagingTable);
  // A survey import of one layer is written, as it is checked, into the table its commit attaches (stage 6).
  const prepare = preparesSurveyLayer(row, staged.length);
  // Index builds begun for the prepared layers, awaited before the report is answered (even when
  // it fails: the import's tables are not dropped under a running build).
  const indexing: Promise<void>[] = [];
  try {
    for (const [position, layer] of staged.entries()) {
      const table = layer.stagingTable!;
      const areaField = layer.fields.find((field) => field.name.toUpperCase() === 'TBMJ');
      const check = checks.get(table) ?? new LayerCheck(context, row, layer, table, prepare);
      const { prepared, mismatches: found } = await check.finish((fraction) => context.progress(row.id, 'validate', (position + fraction) / staged.length));
      // The prepared layer is full: its index and grid are built beside the report's scans, not at commit.
      if (prepared) indexing.push(context.imports.finishPreparedSurveyLayer(table, prepared));
      let mismatches = found;
      if (areaField && !prepared) mismatches = await context.imports.flagAreaMismatch(table, areaField.name);
      if (mismatches > 0) report.warnings.push({ layer: layer.name, count: mismatches, message: `${mismatches} 个图斑的椭球面积与 TBMJ 相差超过 0.5%，常见原因是坐标系或带号不对。` });
      const values = await checkValues(context, row, layer);
      if (values > 0) report.warnings.push({ layer: layer.name, count: values, message: `${values} 个要素有属性值无法导入（超出上限或格式不对），提交时这些值留空，其余照常导入；详见下方问题要素。` });
      if (/3D|Measured/i.test(layer.geometryType)) report.warnings.push({ layer: layer.name, message: `图层含 Z/M 值（${layer.geometryType}），已舍去，只保留平面坐标。` });
      if (/multipatch|tin|surface/i.test(layer.geometryType)) report.warnings.push({ layer: layer.name, message: `图层是 ${layer.geometryType}，已转换为多边形。` });
      if (layer.crs?.source === 'coordinates' || row.options.srid) report.warnings.push({ layer: layer.name, message: `坐标系 ${sridLabel(row.options.srid ?? layer.crs!.srid!)}：${row.options.srid ? '由用户指定' : layer.crs!.reason}` });
      else if (layer.crs?.sourceWkt) report.warnings.push({ layer: layer.name, message: layer.crs.reason });
      const suspected = await gcj02Suspected(context, row, layer);
      if (suspected !== null) {
        report.warnings.unshift({ layer: layer.name, message: `坐标疑似 GCJ-02 火星坐标：与库中相同的行政区或地块相差约 ${Math.round(suspected)} 米，方向与火星坐标的偏移一致。数据若来自高德、腾讯等网络地图，请把坐标系改为“GCJ-02 火星坐标”后重新读取。` });
      }
      for (const count of await context.imports.statusCounts(table)) {
        report.features += count.count;
        if (count.status === 'valid') report.valid += count.count;
        else if (count.status === 'repaired') report.repaired += count.count;
        else report.rejected += count.count;
      }
      const bsm = layer.fields.find((field) => field.name.toUpperCase() === 'BSM');
      const samples = await context.imports.samples(table, bsm?.name ?? null);
      const unconverted = unconvertedNote(row, layer);
      report.samples.push(...samples.map((sample) => ({
        layer: layer.name, ...sample,
        messages: unconverted && sample.messages ? sample.messages.map((message) => (message.startsWith(OUT_OF_RANGE) ? `${message}${unconverted}` : message)) : sample.messages,
      })));
      const missing = missingRequiredTargets(row.kind, layer.mapping ?? {});
      if (missing.length > 0) {
        const labels = missing.map((target) => target.label).join('、');
        (report.missingFields ??= []).push({
          layer: layer.name, fields: missing.map((target) => target.key),
          message: `“${layer.name}”缺少${row.kind === 'survey' ? '变更调查' : '地块'}必需的字段：${labels}。请在“字段对应”中把文件中的相应字段对应过去；文件中没有这些字段时不能提交，请补全数据后重新导入。`,
        });
      }
      if (!prepared) await context.imports.checkExtent(table, scopeOf(row));
      const extent = await context.imports.extentSummary(table, nameFieldOf(row, layer));
      const named = extent.features.map((feature) => ({ layer: layer.name, ...feature }));
      if (report.extent) {
        report.extent.partly += extent.partly;
        report.extent.outside += extent.outside;
        report.extent.outsideCity += extent.outsideCity;
        report.extent.features.push(...named.slice(0, 20 - report.extent.features.length));
      } else {
        report.extent = { ...(await context.imports.scopeLabels(scopeOf(row))), checked: 0, partly: extent.partly, outside: extent.outside, outsideCity: extent.outsideCity, features: named };
      }
    }
    if (report.extent) {
      report.extent.checked = report.valid + report.repaired;
      const { partly, outside, outsideCity, scope } = report.extent;
      if (partly + outside > 0) {
        const city = outsideCity > 0 ? `（其中 ${outsideCity} 个在${report.extent.city}以外）` : '';
        report.warnings.unshift({
          layer: staged[0]?.name ?? '',
          count: partly + outside,
          message: `${report.extent.checked} 个要素中，${outside} 个不在您的管辖范围（${scope}）内${city}${partly > 0 ? `，${partly} 个部分在外` : ''}。提交前请选择：裁剪到管辖范围、跳过范围外的要素，或停止导入。`,
        });
      }
    }
    if (row.kind === 'survey' && !(row.options.year ?? row.year) && !staged.some((layer) => sourceFieldFor(layer.mapping ?? {}, 'dataYear'))) report.yearNeeded = true;
    for (const layer of layers.filter((candidate) => candidate.skipped)) report.errors.push({ layer: layer.name, ...layer.skipped! });
  } finally {
    await Promise.allSettled(indexing);
  }
  await Promise.all(indexing);
  return report;
}

/**
 * A layer read as WGS84/CGCS2000 degrees that sits off the districts and parcels it matches by the
 * GCJ-02 offset: the median offset in metres, else null.
 */
async function gcj02Suspected(context: StageContext, row: ImportRow, layer: ImportLayerState): Promise<number | null> {
  const srid = row.options.srid ?? layer.crs?.srid ?? null;
  const datum = srid === null ? null : describeSrid(srid);
  if (!datum || datum.kind !== 'geographic' || (datum.datum !== 'wgs84' && datum.datum !== 'cgcs2000')) return null;
  const pairs = await context.imports.referencePairs(layer.stagingTable!);
  return gcj02Offset(pairs.map((pair) => ({ feature: [pair.fx, pair.fy], reference: [pair.rx, pair.ry] })));
}

/** How import_check_geometry() begins the message of a feature whose coordinates are out of range. */
const OUT_OF_RANGE = '坐标超出范围';

/**
 * For a layer whose coordinates PostGIS converts (databaseReprojection), what an out-of-range
 * feature means and what to do: PROJ could not convert it from the layer's CRS, so its metres
 * were kept (convertBatch). Null for other layers.
 */
function unconvertedNote(row: ImportRow, layer: ImportLayerState): string | null {
  const srid = databaseReprojection(layer, row.options.srid);
  return srid === null ? null : `：按图层的坐标系 ${sridLabel(srid)} 无法换算为经纬度。请核对该要素的坐标，或在“坐标系”中改选正确的坐标系后重新读取。`;
}

/** The districts of the importer's 管辖范围 when they uploaded (null: the whole city). */
export function scopeOf(row: ImportRow): string[] | null {
  return row.options.scope ?? null;
}

/** The field that names a feature in messages: its BSM or 宗地编号 as mapped, else a name field. */
function nameFieldOf(row: ImportRow, layer: ImportLayerState): string | null {
  const mapped = sourceFieldFor(layer.mapping ?? {}, row.kind === 'survey' ? 'bsm' : 'code');
  if (mapped) return mapped;
  return layer.fields.find((field) => /^(name|名称|mc|dkmc|地块名称|tbbh)$/i.test(field.name))?.name ?? null;
}

/**
 * The mapped attribute values, checked before the commit: each value the commit would leave out
 * (a figure past its column's limit, a text too long, a code unknown…) becomes a note on its
 * feature, naming the field. Answers how many features have one.
 */
async function checkValues(context: StageContext, row: ImportRow, layer: ImportLayerState): Promise<number> {
  const table = layer.stagingTable!;
  if (row.kind === 'survey') {
    const checks = SURVEY_COLUMNS.flatMap(([, target, numeric]) => {
      const field = numeric ? sourceFieldFor(layer.mapping ?? {}, target) : null;
      if (!field) return [];
      const label = SURVEY_FIELDS.find((candidate) => candidate.key === target)?.label ?? target;
      return [{ field, label: `${field} ${label}`, maximum: surveyColumnMaximum(target) }];
    });
    return context.imports.flagTooLarge(table, checks);
  }
  const notes: { fid: number; message: string }[] = [];
  for (const feature of await context.imports.stagedAttributes(layer)) {
    const { problems } = parcelValues(layer, feature.attributes);
    if (problems.length > 0) notes.push({ fid: feature.fid, message: problems.join('；') });
  }
  await context.imports.noteFeatures(table, notes);
  return notes.length;
}
