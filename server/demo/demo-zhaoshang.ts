import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'kysely';
import type { ListingCreate } from '../../domain/api/zhaoshang.schemas.js';
import type { AppInstance } from '../app-instance.js';
import { Scope } from '../auth/scope.js';
import { writeAs } from '../db/actor.js';
import { PUBLIC_ACTOR } from '../zhaoshang/zhaoshang.service.js';

/** The district of the demo's 招商地图, and the official who keeps it. */
export const DEMO_ZHAOSHANG_DISTRICT = '350206';
const DEMO_OFFICIAL = 'official';

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, checksum]);
}

/**
 * A small site picture drawn at seed time (no file shipped): sky, an empty fenced lot, two idle
 * factory halls. PNG, 480 × 300, RGB; deterministic.
 */
export function demoSitePhoto(width = 480, height = 300): Buffer {
  const rows: Buffer[] = [];
  const horizon = Math.round(height * 0.55);
  const inside = (x: number, y: number, left: number, top: number, right: number, bottom: number) => x >= left && x < right && y >= top && y < bottom;
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      let colour: [number, number, number];
      if (y < horizon) {
        const t = y / horizon;
        colour = [Math.round(120 + 90 * t), Math.round(170 + 60 * t), Math.round(225 + 20 * t)];
      } else {
        const t = (y - horizon) / (height - horizon);
        colour = [Math.round(150 - 30 * t), Math.round(140 - 25 * t), Math.round(110 - 20 * t)];
      }
      // Two halls with sawtooth roofs, a darker door each; a fence along the lot.
      const hall = inside(x, y, 40, horizon - 70, 220, horizon + 10) || inside(x, y, 250, horizon - 50, 420, horizon + 10);
      const roof = (x >= 40 && x < 220 && y >= horizon - 70 - ((x - 40) % 30) / 2 && y < horizon - 70)
        || (x >= 250 && x < 420 && y >= horizon - 50 - ((x - 250) % 34) / 2 && y < horizon - 50);
      if (roof) colour = [96, 104, 112];
      if (hall) colour = (x + y) % 23 === 0 ? [178, 182, 186] : [196, 199, 202];
      if (inside(x, y, 110, horizon - 30, 150, horizon + 10) || inside(x, y, 320, horizon - 25, 352, horizon + 10)) colour = [84, 92, 100];
      if (y > horizon + 40 && y < horizon + 44) colour = [110, 118, 104];
      if (y > horizon + 30 && y < horizon + 58 && x % 24 < 2) colour = [100, 108, 96];
      row.set(colour, 1 + x * 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const PLANS: Omit<ListingCreate, 'parcelId' | 'title' | 'contactOrg' | 'contactName' | 'contactPhone'>[] = [
  {
    plannedUse: '工业用地（新型产业用地 M0）', floorAreaRatioMin: 2.0, floorAreaRatioMax: 4.0, buildingDensityMax: 45, heightLimitM: 60,
    planningNotes: '绿地率不低于 15%；配套用房用地不超过项目总用地的 7%。', targetIndustries: ['集成电路', '新型显示', '软件和信息服务'],
    conditions: '投资强度不低于 600 万元/亩，达产后亩均税收不低于 40 万元/亩；优先引进链主企业和专精特新企业。', supplyMode: 'transfer',
  },
  {
    plannedUse: '工业用地（一类工业 M1）', floorAreaRatioMin: 1.5, floorAreaRatioMax: 3.0, buildingDensityMax: 50, heightLimitM: 40,
    planningNotes: '保留现状厂房的可改造利用。', targetIndustries: ['生物医药', '医疗器械'],
    conditions: '可先租后让；租赁期内亩均税收不低于 25 万元/亩。', supplyMode: 'lease_then_transfer',
  },
  {
    plannedUse: '商务金融用地', floorAreaRatioMin: 2.5, floorAreaRatioMax: 5.0, buildingDensityMax: 40, heightLimitM: 80,
    planningNotes: null, targetIndustries: ['总部经济', '跨境电商', '数字文创'],
    conditions: '鼓励以商招商、定向招商；可与原土地权利人合作开发。', supplyMode: 'cooperation',
  },
  {
    plannedUse: '物流仓储用地', floorAreaRatioMin: 1.0, floorAreaRatioMax: 2.0, buildingDensityMax: 55, heightLimitM: 24,
    planningNotes: null, targetIndustries: ['冷链物流', '智能仓储'], conditions: '投资强度不低于 300 万元/亩。', supplyMode: 'lease',
  },
];
/** The demo listings' names: a database holding one of them has its demo 招商地图. */
export const DEMO_TITLES = ['湖里高新园北片 闲置地块', '枋湖片区 闲置厂区', '五缘湾商务区 闲置用地', '东渡港区 闲置仓储地块', '殿前片区 闲置地块'];
const CONTACT = { contactOrg: '湖里区投资促进中心', contactName: '王经理', contactPhone: '0592-5551234', contactEmail: 'zhaoshang@example.gov.cn' };

/**
 * The demo city's published 招商地图: the largest identified idle plots of 湖里区, four published
 * (the first with a site photo filed in its 一地一档 and chosen as public) and one kept as a draft,
 * and one 意向 from an investor. Made through the service, as the demo official would; nothing is
 * written when the demo listings exist already (by name) or the official's account is missing.
 */
export async function ensureDemoZhaoshang(app: AppInstance, log: (line: string) => void = console.log): Promise<number> {
  if (await app.db.selectFrom('zhaoshang_listing_versions').select('listing_id').where('title', 'in', DEMO_TITLES).executeTakeFirst()) return 0;
  const user = await app.usersRepository.findByUsername(DEMO_OFFICIAL);
  const principal = user && await app.usersRepository.principal(Number(user.id));
  if (!principal) return 0;
  const caller = { principal, scope: Scope.of(principal), requestId: 'demo-zhaoshang' };
  const { rows: plots } = await sql<{ id: number; location: string | null; place: string | null }>`
    SELECT p.id::float8 AS id, p.location, p.town_or_park AS place FROM parcels p
    WHERE p.district_code = ${DEMO_ZHAOSHANG_DISTRICT} AND p.status = 'identified' AND p.inefficiency_type = 'idle'
      AND NOT EXISTS (SELECT FROM zhaoshang_listings l WHERE l.parcel_id = p.id)
    ORDER BY p.area_m2 DESC, p.id LIMIT 5`.execute(app.db);
  if (plots.length === 0) return 0;
  const photo = demoSitePhoto();
  let made = 0;
  let firstPublished: number | null = null;
  for (const [index, plot] of plots.entries()) {
    const plan = PLANS[index % PLANS.length];
    const photoDocumentIds: number[] = [];
    if (index === 0) {
      const filed = await writeAs(app.db, { name: DEMO_OFFICIAL }, (transaction) => app.documentsRepository.insert(transaction, {
        parcelId: plot.id, category: 'photo', note: '演示数据：现场照片', fileName: '现场照片.png', mediaType: 'image/png',
        sha256: createHash('sha256').update(photo).digest('hex'), takenAt: null, position: null, exif: null, uploadedBy: DEMO_OFFICIAL,
      }, photo));
      photoDocumentIds.push('duplicateOf' in filed ? filed.duplicateOf.id : filed.id);
    }
    const listing = await app.zhaoshangService.create({
      parcelId: plot.id, title: DEMO_TITLES[index], location: plot.place ? `湖里区 ${plot.place}` : '湖里区', ...plan, ...CONTACT, photoDocumentIds,
    }, caller);
    if (index < 4) await app.zhaoshangService.publish(listing.id, listing.version, caller);
    firstPublished ??= listing.id;
    made++;
  }
  if (firstPublished !== null) {
    await app.zhaoshangService.submitInquiry({
      listingId: firstPublished, name: '陈先生', company: '厦门某半导体科技有限公司', phone: '13800138000', email: 'chen@example.com',
      industry: '集成电路封装测试', message: '拟新建封装测试产线，用地约 30 亩，希望了解供地方式和时间。',
    }, `demo-zhaoshang-${PUBLIC_ACTOR}`);
  }
  log(`演示招商地图 / demo 招商地图: ${made} 宗地块（${Math.min(made, 4)} 宗已发布）`);
  return made;
}
