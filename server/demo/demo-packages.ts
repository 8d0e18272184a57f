import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { AppInstance } from '../app-instance.js';
import { writeAs } from '../db/actor.js';
import { html } from '../exports/reports/html.js';

/** The district of the demo's 上图入库 packages (the procedure accounts' 湖里区). */
export const DEMO_PACKAGE_DISTRICT = '350206';
export const DEMO_CONSENT_NUMBER = '湖政函〔2026〕8号（演示）';

/** The 区人民政府's consent letter of the demo, rendered by the report renderer (Chromium). */
async function consentLetter(app: AppInstance, district: string): Promise<Buffer> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-consent-'));
  try {
    const file = path.join(folder, 'consent.pdf');
    await app.pdfRenderer.render(html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
      body { font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; margin: 30mm 25mm; font-size: 15pt; line-height: 1.9; }
      h1 { text-align: center; color: #c00; font-size: 24pt; letter-spacing: 4pt; } .no { text-align: center; } .sign { text-align: right; margin-top: 30mm; }
    </style></head><body>
      <h1>${district}人民政府</h1><p class="no">${DEMO_CONSENT_NUMBER}</p>
      <p>区自然资源局：</p>
      <p>你局报来的《${district}低效用地底数和历史遗留用地上图入库成果》收悉。经研究，同意上报市规划资源局审核。</p>
      <p>（演示数据，非真实文件）</p>
      <p class="sign">${district}人民政府<br>2026年3月20日</p>
    </body></html>`, file, { footer: '演示数据' });
    return fs.readFileSync(file);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The demo's 上图入库 (seed 004 五(二)): 湖里区's first package assembled, reported, consented and
 * submitted to the city; then two of its parcels change (one 疑似 becomes 已认定, one 效率达标 parcel
 * becomes 疑似低效) and the second version is assembled as a draft, so that the comparison shows
 * something. Once: nothing is written when the district has a package.
 */
export async function ensureDemoPackages(app: AppInstance, log: (line: string) => void = console.log, districtCode = DEMO_PACKAGE_DISTRICT): Promise<number> {
  const packages = app.stockPackagesRepository;
  const { rows: [existing] } = await sql<{ count: number }>`SELECT count(*)::int AS count FROM stock_packages WHERE district_code = ${districtCode}`.execute(app.db);
  if (existing.count > 0) return 0;
  const district = await packages.district(districtCode);
  if (!district) return 0;
  const surveyor = { name: 'surveyor', displayName: '调查员（演示）' };
  const admin = { name: 'admin', displayName: '系统管理员' };
  const first = await packages.create(district.code, `${district.name}低效用地底数和历史遗留用地上图入库成果（第 {version} 版）`, surveyor);
  if (!first.ok) return 0;
  await packages.transition(first.id, 'draft', 'reported', '底数已核实，报区政府审定（演示）', surveyor);
  const letter = await consentLetter(app, district.name);
  await packages.transition(first.id, 'reported', 'consented', `区人民政府同意（${DEMO_CONSENT_NUMBER}，2026-03-20）`, admin, {
    consent: {
      documentNo: DEMO_CONSENT_NUMBER, date: '2026-03-20', note: '演示数据', fileName: '区人民政府同意上报的函.pdf', mediaType: 'application/pdf',
      sha256: createHash('sha256').update(letter).digest('hex'), content: letter,
    },
  });
  await packages.transition(first.id, 'consented', 'submitted', '提交市规划资源局审核（演示）', admin);

  // What changed since: recorded like any edit (history), by the demo surveyor.
  await writeAs(app.db, { name: 'surveyor' }, async (transaction) => {
    await sql`UPDATE parcels SET status = 'identified', identified_at = DATE '2026-04-15'
      WHERE id = (SELECT id FROM parcels WHERE district_code = ${district.code} AND status = 'suspected' ORDER BY id LIMIT 1)`.execute(transaction);
    await sql`UPDATE parcels SET status = 'suspected', inefficiency_type = 'low_output'
      WHERE id = (SELECT id FROM parcels WHERE district_code = ${district.code} AND status = 'efficient' AND land_category = 'industrial' ORDER BY id LIMIT 1)`.execute(transaction);
  });
  await packages.create(district.code, `${district.name}低效用地底数和历史遗留用地上图入库成果（第 {version} 版）`, surveyor);
  log(`演示上图入库成果包 / demo stock packages: ${district.name} 第1版（已提交市局）与第2版（编制中）`);
  return 2;
}
