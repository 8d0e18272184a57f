import { roundTo, squareMetresToMu } from './units.js';

/** One year of a parcel's 产值 and 税收, 万元 (seed 003 附件4). */
export interface YearlyFigure {
  year: number;
  outputWan: number | null;
  taxWan: number | null;
}

/** How many of the latest years 近三年 sums (seed 003 附件4: 近三年平均产值/税收). */
export const RECENT_YEARS = 3;

/**
 * 近三年总产值, 近三年税收总额 and the 近三年平均 per 亩, derived from the yearly series: the figures of
 * the three latest recorded years, the averages per year divided by the parcel's area in 亩 (the
 * registered 土地面积 where known, else the drawn ellipsoidal area).
 */
export interface RecentYearsSummary {
  /** The years summed, newest first (at most three). */
  years: number[];
  /** True when three consecutive years are recorded, each with both figures. */
  complete: boolean;
  outputTotalWan: number | null;
  taxTotalWan: number | null;
  /** 近三年平均产值, 万元/亩: the total over the years that have it, per year, per 亩. */
  outputPerMuAverage: number | null;
  /** 近三年平均税收, 万元/亩. */
  taxPerMuAverage: number | null;
  areaMu: number | null;
  /** Which area the averages divide by. */
  areaSource: 'registeredAreaM2' | 'areaM2' | null;
}

function sumOf(values: readonly (number | null)[]): { total: number; count: number } | null {
  const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return present.length === 0 ? null : { total: present.reduce((sum, value) => sum + value, 0), count: present.length };
}

export function recentYearsSummary(
  figures: readonly YearlyFigure[],
  area: { registeredAreaM2?: number | null; areaM2?: number | null },
): RecentYearsSummary {
  const recent = [...figures].sort((a, b) => b.year - a.year).slice(0, RECENT_YEARS);
  const areaSource = area.registeredAreaM2 && area.registeredAreaM2 > 0 ? 'registeredAreaM2' : area.areaM2 && area.areaM2 > 0 ? 'areaM2' : null;
  const areaMu = areaSource ? squareMetresToMu(area[areaSource]!) : null;
  const output = sumOf(recent.map((figure) => figure.outputWan));
  const tax = sumOf(recent.map((figure) => figure.taxWan));
  const perMu = (sum: { total: number; count: number } | null) => (sum && areaMu ? roundTo(sum.total / sum.count / areaMu, 2) : null);
  return {
    years: recent.map((figure) => figure.year),
    complete: recent.length === RECENT_YEARS
      && recent[0].year - recent[RECENT_YEARS - 1].year === RECENT_YEARS - 1
      && recent.every((figure) => figure.outputWan !== null && figure.taxWan !== null),
    outputTotalWan: output ? roundTo(output.total, 2) : null,
    taxTotalWan: tax ? roundTo(tax.total, 2) : null,
    outputPerMuAverage: perMu(output),
    taxPerMuAverage: perMu(tax),
    areaMu: areaMu === null ? null : roundTo(areaMu, 4),
    areaSource,
  };
}

/** Problems of a yearly series as sent: each year once. (Ranges are the contract's.) */
export function yearlySeriesProblems(figures: readonly YearlyFigure[]): { field: string; message: string }[] {
  const seen = new Set<number>();
  const problems: { field: string; message: string }[] = [];
  figures.forEach((figure, index) => {
    if (seen.has(figure.year)) {
      problems.push({ field: `items.${index}.year`, message: `年度 ${figure.year} 出现了两次：每个年度只填一行，请合并后重试。 / year ${figure.year} is listed twice.` });
    }
    seen.add(figure.year);
  });
  return problems;
}

/** The message of a yearly value the contract refused (`items.2.taxWan`): which row, which figure, what it takes. */
export function yearlyFigureRefusal(parameter: string): string | undefined {
  const match = /^items\.(\d+)\.(year|outputWan|taxWan)$/.exec(parameter);
  if (!match) return parameter === 'items' ? '请求应为 { items: [{ year, outputWan, taxWan }, …] }，最多 100 个年度。/ items must be a list of at most 100 years.' : undefined;
  const row = Number(match[1]) + 1;
  const rule = match[2] === 'year'
    ? '年度 应为 1949 到 2100 之间的整数年份（如 2023）'
    : `${match[2] === 'outputWan' ? '年度产值' : '年度税收'} 应为 0 到 100000000 之间的有限数字（万元；不能为负数、NaN 或无穷大），未知请传 null`;
  return `第 ${row} 行（${parameter}）的值无效：${rule}。请改正后重试。`;
}

/**
 * The revision of a stored yearly series: a short token that changes whenever any year is added,
 * removed or changed. GET gives it; PUT must send the one it edited (`expectedRevision`), so that two
 * people editing the series at once cannot silently overwrite each other (the parcel's own version
 * does not move with the series, which lives in a table of its own). Figures are compared as the
 * database stores them (2 decimals).
 */
export function yearlySeriesRevision(items: readonly YearlyFigure[]): string {
  const text = [...items].sort((a, b) => a.year - b.year)
    .map((item) => `${item.year}:${item.outputWan === null ? '' : item.outputWan.toFixed(2)}:${item.taxWan === null ? '' : item.taxWan.toFixed(2)}`)
    .join(';');
  // cyrb53: 53 bits of a fast string hash, written in base 36.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `y${items.length}-${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}
