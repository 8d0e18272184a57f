import type { MultiPolygonGeometry } from '../../domain/ellipsoidal-area.js';
import { INDUSTRY_CODES } from '../../domain/industry-codes.js';
import { rasterizeDistricts, toLonLat, type DistrictMask } from './district-mask.js';
import { createRandom, type Random } from './random.js';

export interface DemoDistrict {
  code: string;
  name: string;
  geometry: MultiPolygonGeometry;
}

/** One generated parcel, in the column order of `PARCEL_COPY_COLUMNS`. */
export interface GeneratedParcel {
  code: string;
  districtCode: string;
  owner: string;
  location: string;
  registeredAreaM2: number;
  contractNo: string;
  certificateNo: string;
  landUseCode: string;
  plannedFunction: string;
  industryCode: string;
  floorAreaM2: number;
  floorAreaRatio: number;
  buildingCoverage: number;
  investmentIntensity: number;
  outputPerMu: number;
  taxPerMu: number;
  productionStart: string;
  productionStop: string | null;
  adminFacilityShare: number;
  undevelopedAreaM2: number;
  meetsSafety: boolean;
  meetsEnvironment: boolean;
  meetsEnergy: boolean;
  status: string;
  inefficiencyType: string | null;
  identifiedAt: string | null;
  redevelopmentIntent: string | null;
  evaluationGrade: string;
  /** 低效居住类型, 建设手续情况 and 填报单位 (null: the category's, set by the database), issue 18 item 1. */
  residentialKind: string | null;
  constructionPermits: string | null;
  reportingUnit: string | null;
  /** Outer ring, [lon, lat], closed. */
  ring: [number, number][];
  place: ParcelPlace | null;
}

/** How industrial each district is: parks per district are drawn in proportion. */
export const INDUSTRIAL_WEIGHT: Readonly<Record<string, number>> = {
  '350203': 0.4, '350205': 2.2, '350206': 1.4, '350211': 2.0, '350212': 2.0, '350213': 2.0,
};

const PARK_NAMES = ['火炬', '金山', '杏林', '后溪', '灌口', '同集', '新阳', '马銮', '东孚', '洪塘', '五显', '马巷',
  '内厝', '新店', '软件', '光电', '机械', '食品', '美峰', '西柯', '祥平', '銮美', '舫山', '北站', '古龙', '锦园', '双溪', '坂头'];
export const PARK_SUFFIXES = ['工业园', '工业区', '产业园', '科技园', '工业集中区'];
const ROADS = ['翔安北路', '同集路', '新阳大道', '海景路', '马銮路', '灌口中路', '后溪大道', '锦园路', '兴港路', '火炬北路',
  '湖里大道', '金山路', '祥平路', '美峰二路', '孙坂南路', '洪塘路', '舫山北路', '西柯街', '银江路', '滨海西大道'];
const NAME_HEADS = ['宏', '华', '鑫', '达', '盛', '泰', '恒', '祥', '瑞', '嘉', '联', '海', '鹭', '新', '永', '金', '立', '源', '信', '丰'];
const NAME_TAILS = ['兴', '发', '昌', '达', '通', '利', '成', '润', '和', '安', '信', '顺', '力', '捷', '升', '美', '诚', '晟', '远', '锦'];
const TRADES: readonly (readonly [string, string])[] = [
  ['C39', '电子'], ['C39', '光电'], ['C34', '机械'], ['C35', '装备'], ['C33', '五金'], ['C17', '纺织'], ['C18', '服饰'],
  ['C14', '食品'], ['C13', '农产品'], ['C29', '塑胶'], ['C26', '化工'], ['C38', '电器'], ['C36', '汽车配件'],
  ['C21', '家具'], ['C22', '纸品'], ['C23', '印务'], ['C24', '文体用品'], ['C27', '药业'], ['C40', '仪器'], ['C19', '鞋业'],
  ['C30', '建材'], ['G59', '物流'], ['I65', '软件'],
];
const COMPANY_FORMS = ['有限公司', '股份有限公司', '实业有限公司', '科技有限公司', '制造有限公司'];

function pad(value: number, length: number): string {
  return String(value).padStart(length, '0');
}

function dateBetween(random: Random, fromYear: number, toYear: number): string {
  const year = random.integer(fromYear, toYear);
  return `${year}-${pad(random.integer(1, 12), 2)}-${pad(random.integer(1, 28), 2)}`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function shoelaceArea(points: readonly [number, number][]): number {
  let sum = 0;
  for (let index = 0; index < points.length; index++) {
    const [x1, y1] = points[index];
    const [x2, y2] = points[(index + 1) % points.length];
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum) / 2;
}

interface Park {
  districtIndex: number;
  name: string;
  foundedYear: number;
  vitality: number;
  road: string;
}

function companyName(random: Random, trade: string, districtName: string): string {
  const prefix = random.chance(0.7) ? '厦门' : districtName.replace(/区$/, '');
  return `${prefix}${random.pick(NAME_HEADS)}${random.pick(NAME_TAILS)}${trade}${random.pick(COMPANY_FORMS)}`;
}

/** Draws every attribute of one parcel from its park's age and vitality (older, weaker parks hold more 低效用地). */
function describeParcel(random: Random, park: Park, rowFactor: number, district: DemoDistrict, areaM2: number, sequence: number) {
  const [industryCode, trade] = random.pick(TRADES);
  const landUseCode = industryCode === 'G59' ? '0508'
    : random.weighted([['0601', 84], ['0508', 6], ['05H1', 4], ['100104', 4], ['1201', 2]] as const);
  const productionYear = Math.min(2024, park.foundedYear + random.integer(0, 14));
  // Inefficiency clusters: a park's age and vitality and its street (row) weigh more than chance.
  const score = random.next() * 0.3 + rowFactor * 0.2 + ((2016 - park.foundedYear) / 31) * 0.3 + (1 - park.vitality) * 0.35;

  let status = 'efficient';
  if (score > 0.72) status = random.weighted([['identified', 62], ['redeveloping', 25], ['redeveloped', 13]] as const);
  else if (score > 0.61) status = 'suspected';
  const inefficient = status === 'suspected' || status === 'identified' || status === 'redeveloping';

  let floorAreaRatio = random.normal(1.7, 0.6, 0.6, 3.5);
  let taxPerMu = random.normal(48, 30, 8, 150);
  if (inefficient) {
    floorAreaRatio = random.normal(0.75, 0.4, 0.2, 1.6);
    taxPerMu = random.normal(6, 5, 0, 22);
  }
  if (status === 'redeveloped') {
    floorAreaRatio = random.normal(2.7, 0.45, 2.0, 3.5);
    taxPerMu = random.normal(70, 30, 20, 150);
  }

  let inefficiencyType: string | null = null;
  let productionStop: string | null = null;
  let undevelopedShare = random.chance(0.1) ? random.between(0.02, 0.12) : 0;
  if (inefficient) {
    if (random.chance(0.22)) {
      inefficiencyType = 'stopped';
      productionStop = dateBetween(random, Math.max(productionYear + 1, 2015), 2025);
      taxPerMu = random.between(0, 2);
    } else if (floorAreaRatio < 0.5) {
      inefficiencyType = 'idle';
      undevelopedShare = random.between(0.2, 0.65);
    } else if (taxPerMu < 6) {
      inefficiencyType = 'low_output';
    } else {
      inefficiencyType = random.weighted([['scattered', 3], ['misused', 2], ['dilapidated', 3], ['polluting', 2], ['low_output', 2]] as const);
    }
  }

  const floors = random.integer(1, 6);
  const buildingCoverage = Math.min(0.65, Math.max(0.12, floorAreaRatio / floors));
  const plannedFunction = inefficiencyType === 'misused'
    ? random.pick(['居住用地', '商业服务业设施用地', '公园与绿地', '道路与交通设施用地'])
    : landUseCode === '0508' ? '物流仓储用地'
      : landUseCode === '100104' ? '新型产业用地 (工业研发)' : random.weighted([['工业用地', 8], ['新型产业用地', 2]] as const);
  const polluting = inefficiencyType === 'polluting';
  const identified = status === 'identified' || status === 'redeveloping' || status === 'redeveloped';
  const evaluationGrade = taxPerMu >= 60 ? 'A' : taxPerMu >= 20 ? 'B' : taxPerMu >= 3 ? 'C' : 'D';
  const certificateYear = random.integer(Math.max(2016, productionYear), 2025);

  return {
    code: `${district.code}-${pad(sequence, 6)}`,
    districtCode: district.code,
    owner: companyName(random, trade, district.name),
    location: `厦门市${district.name}${park.road}${random.integer(1, 999)}号`,
    registeredAreaM2: round(areaM2 * random.between(0.997, 1.003), 2),
    contractNo: `${district.code}-${productionYear - random.integer(1, 3)}-${pad(random.integer(1, 9999), 4)}`,
    certificateNo: `闽(${certificateYear})厦门市不动产权第${pad(random.integer(1, 9999999), 7)}号`,
    landUseCode,
    plannedFunction,
    industryCode: INDUSTRY_CODES[industryCode] ? industryCode : 'C34',
    floorAreaM2: round(areaM2 * floorAreaRatio, 2),
    floorAreaRatio: round(floorAreaRatio, 2),
    buildingCoverage: round(buildingCoverage, 4),
    investmentIntensity: round(random.normal(360, 160, 80, 950), 2),
    outputPerMu: round(taxPerMu * random.between(8, 15), 2),
    taxPerMu: round(taxPerMu, 2),
    productionStart: `${productionYear}-${pad(random.integer(1, 12), 2)}-${pad(random.integer(1, 28), 2)}`,
    productionStop,
    adminFacilityShare: round(random.between(0.02, 0.12), 4),
    undevelopedAreaM2: round(areaM2 * undevelopedShare, 2),
    meetsSafety: !(inefficient && random.chance(0.12)),
    meetsEnvironment: !(polluting && random.chance(0.8)) && !random.chance(0.02),
    meetsEnergy: !(polluting && random.chance(0.6)) && !random.chance(0.02),
    status,
    inefficiencyType,
    identifiedAt: identified ? dateBetween(random, 2023, 2026).replace(/^2026-(1[1-2])/, '2026-10') : null,
    redevelopmentIntent: inefficient || status === 'redeveloped'
      ? random.weighted([['strong', 3], ['willing', 4], ['undecided', 3], ['unwilling', 2]] as const)
      : null,
    evaluationGrade,
  };
}

/** FNV-1a of a text: a stable number that draws nothing from the city's random stream. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

const PERMITS = ['无规划许可、无施工许可', '有立项，无用地手续', '手续齐全，停工烂尾', '部分手续，未竣工验收'];

/**
 * The demo city beyond industry (issue 18 item 1): by a hash of the 宗地编号 (the city's random
 * stream is untouched, so every other attribute stays as it was), about 3 % of the parcels are
 * housing (城中村 on 农村宅基地, 老旧小区 and 烂尾楼盘 on 城镇住宅用地, reported by 住建委) and 2 % idle
 * facilities (科教文卫, 公用设施); 1 in 20 industrial parcels is state-owned (国资委 另行填报). The
 * category itself follows the 地类 in the database (parcels_category_default: 05H1 商服, 1201 空闲地 …).
 */
function withLandCategory<T extends ReturnType<typeof describeParcel>>(parcel: T): T & Pick<GeneratedParcel, 'residentialKind' | 'constructionPermits' | 'reportingUnit'> {
  const draw = stableHash(parcel.code) % 1000;
  const calmer = (type: string | null, to: string) => (type === null ? null : to);
  if (draw < 30) {
    const kind = draw < 12 ? 'urban_village' : draw < 24 ? 'old_community' : 'stalled_project';
    return {
      ...parcel, landUseCode: kind === 'urban_village' ? '0702' : '0701', plannedFunction: '居住用地', residentialKind: kind,
      owner: kind === 'stalled_project' ? parcel.owner.replace(/(科技|制造|实业)?(股份)?有限公司$/, '置业有限公司') : `${parcel.location.replace(/^.*?区/, '').replace(/\d+号$/, '')}${kind === 'urban_village' ? '村民委员会' : '社区居民委员会'}`,
      constructionPermits: PERMITS[draw % PERMITS.length], reportingUnit: null, inefficiencyType: calmer(parcel.inefficiencyType, 'dilapidated'),
    };
  }
  if (draw < 50) {
    return {
      ...parcel, landUseCode: draw < 40 ? '08H2' : '0809', plannedFunction: draw < 40 ? '科教文卫用地' : '公用设施用地',
      residentialKind: null, constructionPermits: null, reportingUnit: null, inefficiencyType: calmer(parcel.inefficiencyType, 'idle'),
    };
  }
  return { ...parcel, residentialKind: null, constructionPermits: null, reportingUnit: draw % 20 === 0 && parcel.landUseCode === '0601' ? 'guozi' : null };
}

/** One industrial park of the generated city: its footprint (the block of its rows, roads included). */
export interface GeneratedPark {
  districtCode: string;
  name: string;
  parcels: number;
  /** Footprint rectangle, [lon, lat], closed, with a margin of half a block around the parcels. */
  ring: [number, number][];
}

export interface GeneratorOptions {
  count: number;
  seed: number;
  /** Share of the districts' land that parcels may cover in total; parcel size follows from it. */
  landShare?: number;
  /** Told of every park placed, before its parcels are yielded (draws no random numbers: the city stays the same). */
  onPark?: (park: GeneratedPark) => void;
  /** The 街道/园区 of a parcel, given its district and ring (see demo-subdistricts.ts). */
  placeOf?: (districtCode: string, ring: readonly [number, number][]) => ParcelPlace;
}

/** Where a generated parcel lies: its 街道/镇, its 园区 (null = 园区外) and the 所在镇街/园区 text. */
export interface ParcelPlace {
  subdistrictCode: string | null;
  parkCode: string | null;
  townOrPark: string | null;
}

/**
 * Generates a plausible demo city: industrial parks (blocks of parcels separated by roads, each
 * park rotated, older parks more often inefficient) placed on land inside the districts, never
 * overlapping one another. Deterministic for a given seed and district set.
 */
export function* generateParcels(districts: readonly DemoDistrict[], options: GeneratorOptions): Generator<GeneratedParcel> {
  const random = createRandom(options.seed);
  const mask0 = rasterizeDistricts(districts.map((district) => district.geometry), 100);
  const landArea = Array.from(mask0.cells).filter((cell) => cell > 0).length * 100 * 100;
  const averageArea = Math.min(14000, ((options.landShare ?? 0.3) * landArea) / options.count);
  const side = Math.sqrt(averageArea);
  const cellSize = Math.min(60, Math.max(8, side / 2.5));
  const mask: DistrictMask = cellSize === 100 ? mask0 : rasterizeDistricts(districts.map((district) => district.geometry), cellSize);
  const occupiedBy = new Int32Array(mask.cells.length);

  const landCells: number[][] = districts.map(() => []);
  for (let index = 0; index < mask.cells.length; index++) {
    const cell = mask.cells[index];
    if (cell > 0) landCells[cell - 1].push(index);
  }
  const weights = districts.map((district, index) => [index, (INDUSTRIAL_WEIGHT[district.code] ?? 1) * (landCells[index].length > 0 ? 1 : 0)] as const);
  const sequenceByDistrict = new Map<string, number>();

  let produced = 0;
  let parkId = 0;
  let failedParks = 0;
  while (produced < options.count) {
    if (failedParks > 5000) throw new Error(`could only place ${produced} of ${options.count} parcels in the districts`);
    parkId++;
    const districtIndex = random.weighted(weights);
    const district = districts[districtIndex];
    const cell = random.pick(landCells[districtIndex]);
    const centerX = mask.minX + ((cell % mask.columns) + 0.5) * mask.cellSize;
    const centerY = mask.minY + (Math.floor(cell / mask.columns) + 0.5) * mask.cellSize;
    const angle = random.between(0, Math.PI / 2);
    const cos = Math.cos(angle), sin = Math.sin(angle);
    const park: Park = {
      districtIndex,
      name: `${random.pick(PARK_NAMES)}${random.pick(PARK_SUFFIXES)}`,
      foundedYear: random.integer(1985, 2016),
      vitality: random.next(),
      road: random.pick(ROADS),
    };
    const rowCount = random.integer(4, 12);
    const rowLength = side * random.integer(8, 24);
    const road = Math.max(8, side * 0.22);
    const toWorld = (x: number, y: number): [number, number] => {
      const localX = x - rowLength / 2, localY = y - (rowCount * side * 1.2) / 2;
      return [centerX + localX * cos - localY * sin, centerY + localX * sin + localY * cos];
    };

    const parkParcels: { corners: [number, number][]; cells: number[]; rowFactor: number }[] = [];
    let y = 0;
    for (let row = 0; row < rowCount && produced + parkParcels.length < options.count; row++) {
      const depth = side * random.between(0.8, 1.4);
      const rowFactor = random.next();
      let bottomX = 0;
      let topX = 0;
      while (produced + parkParcels.length < options.count) {
        const width = side * random.between(0.55, 1.6);
        if (Math.max(bottomX, topX) + width > rowLength) break;
        const slant = random.chance(0.3) ? side * random.between(-0.25, 0.25) : 0;
        const nextBottom = bottomX + width;
        const nextTop = topX + width + slant;
        const corners = [toWorld(bottomX, y), toWorld(nextBottom, y), toWorld(nextTop, y + depth), toWorld(topX, y + depth)];
        const inside = corners.every(([x, cornerY]) => mask.districtAt(x, cornerY) === districtIndex + 1);
        const centre: [number, number] = [corners.reduce((sum, [x]) => sum + x, 0) / 4, corners.reduce((sum, [, cornerY]) => sum + cornerY, 0) / 4];
        const cells = [...corners, centre].map(([x, cornerY]) => mask.cellIndex(x, cornerY));
        const free = cells.every((index) => index >= 0 && (occupiedBy[index] === 0 || occupiedBy[index] === parkId));
        if (inside && free && !random.chance(0.04)) parkParcels.push({ corners, cells, rowFactor });
        bottomX = nextBottom;
        topX = nextTop;
        if (random.chance(0.12)) { bottomX += road; topX += road; }
      }
      y += depth + (row % 2 === 1 ? road : 0);
    }
    if (parkParcels.length < Math.min(3, options.count - produced)) { failedParks++; continue; }
    if (options.onPark) {
      const margin = Math.max(30, side * 0.6);
      const footprint = [toWorld(-margin, -margin), toWorld(rowLength + margin + side * 0.3, -margin),
        toWorld(rowLength + margin + side * 0.3, y + margin), toWorld(-margin, y + margin)].map(([x, cornerY]) => {
        const [lon, lat] = toLonLat(mask.frame, x, cornerY);
        return [round(lon, 8), round(lat, 8)] as [number, number];
      });
      footprint.push(footprint[0]);
      options.onPark({ districtCode: district.code, name: park.name, parcels: parkParcels.length, ring: footprint });
    }

    for (const parcel of parkParcels) {
      // Claim every cell the parcel's box touches, so later parks stay clear of it.
      const xs = parcel.corners.map(([x]) => x), ys = parcel.corners.map(([, cornerY]) => cornerY);
      for (let cellY = Math.min(...ys); cellY <= Math.max(...ys) + mask.cellSize; cellY += mask.cellSize) {
        for (let cellX = Math.min(...xs); cellX <= Math.max(...xs) + mask.cellSize; cellX += mask.cellSize) {
          const index = mask.cellIndex(cellX, cellY);
          if (index >= 0 && occupiedBy[index] === 0) occupiedBy[index] = parkId;
        }
      }
      const sequence = (sequenceByDistrict.get(district.code) ?? 0) + 1;
      sequenceByDistrict.set(district.code, sequence);
      const ring = parcel.corners.map(([x, cornerY]) => {
        const [lon, lat] = toLonLat(mask.frame, x, cornerY);
        return [round(lon, 8), round(lat, 8)] as [number, number];
      });
      ring.push(ring[0]);
      produced++;
      yield { ...withLandCategory(describeParcel(random, park, parcel.rowFactor, district, shoelaceArea(parcel.corners), sequence)), ring, place: options.placeOf?.(district.code, ring) ?? null };
    }
  }
}
