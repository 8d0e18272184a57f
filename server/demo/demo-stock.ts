import type pg from 'pg';

/**
 * The demo city's 历史遗留用地 and 问题清单 (issue 18): per district a few records of legacy land in
 * every state, on land no parcel covers (points drawn by PostGIS with a fixed seed, kept 120 m from
 * parcels), and problems linked to its 低效 parcels, some overdue. Written in the reload's
 * transaction (bulk load: one history entry), numbered like records made by hand.
 */
export async function loadDemoStock(client: pg.PoolClient, year: number): Promise<{ legacy: number; problems: number }> {
  const { rows: [legacy] } = await client.query<{ count: number }>(`
    WITH spots AS (
      SELECT d.code AS district, (ST_Dump(ST_GeneratePoints(d.geom, 60, 20261203))).geom AS point
      FROM districts d WHERE d.level = 'district'
    ), free AS (
      SELECT s.district, s.point, row_number() OVER (PARTITION BY s.district ORDER BY ST_X(s.point), ST_Y(s.point)) AS n
      FROM spots s
      WHERE NOT EXISTS (SELECT 1 FROM parcels p WHERE p.geom && ST_Expand(s.point, 0.0015) AND ST_DWithin(p.geom::geography, s.point::geography, 120))
    ), chosen AS (
      SELECT district, point, row_number() OVER (PARTITION BY district ORDER BY n) AS sequence FROM free WHERE n <= 6
    ), inserted AS (
      INSERT INTO legacy_lands (number, district_code, year, sequence, name, location, user_name, current_use, land_use_code, floor_area_m2,
        period, period_version, survey_year, survey_bsm, standard, disposal_policy, status, source, geom, geom_3857, area_m2, created_by, updated_by)
      SELECT c.district || '-LS-' || $1::text || '-' || lpad(c.sequence::text, 4, '0'), c.district, $1::int, c.sequence,
             (ARRAY['村集体厂房', '临时仓储用房', '村办企业用地', '自建商业用房', '砂石堆场', '农贸市场'])[c.sequence],
             d.name || '（演示）', (ARRAY['某村股份经济合作社', '个人', '某实业有限公司', '某村民委员会', '某建材有限公司', '某街道'])[c.sequence],
             (ARRAY['工业生产', '仓储', '工业生产', '商业经营', '堆场', '商业经营'])[c.sequence],
             (ARRAY['0601', '0508', '0601', '05H1', '0601', '05H1'])[c.sequence],
             round((400 + 300 * c.sequence)::numeric, 2),
             (ARRAY['before_2nd', '2nd_to_3rd', 'after_3rd', 'before_2nd', '2nd_to_3rd', 'before_2nd'])[c.sequence], 1,
             (ARRAY[2009, 2019, 2022, 2009, 2019, 2009])[c.sequence],
             c.district || (ARRAY['2009', '2019', '2022', '2009', '2019', '2009'])[c.sequence] || lpad((c.sequence * 137)::text, 6, '0'),
             CASE WHEN c.sequence % 3 = 1 THEN '二调前已建成且持续使用至今的，按历史遗留用地认定' WHEN c.sequence % 3 = 2 THEN '二调至三调期间建成，符合国土空间规划的，按历史遗留用地认定' END,
             CASE WHEN c.sequence % 2 = 0 THEN '符合规划的，完善用地手续后按现状用途补办出让' ELSE '不符合规划的，限期整改或依法拆除复垦' END,
             (ARRAY['pending', 'confirmed', 'disposing', 'disposed', 'pending', 'confirmed'])[c.sequence], 'demo',
             ST_Multi(ST_Transform(ST_Expand(ST_Transform(c.point, 3857), 35 + 10 * c.sequence, 25 + 8 * c.sequence), 4490)),
             'SRID=3857;MULTIPOLYGON EMPTY', 0, 'demo-loader', 'demo-loader'
      FROM chosen c JOIN districts d ON d.code = c.district
      RETURNING id, status
    ), steps AS (
      INSERT INTO legacy_land_steps (legacy_id, from_status, to_status, reason, actor, actor_name)
      SELECT i.id, s.from_status, s.to_status, s.reason, 'demo-loader', '演示数据'
      FROM inserted i
      CROSS JOIN LATERAL (VALUES (1, 'pending', 'confirmed', '区政府专题会议纪要认定（演示）'), (2, 'confirmed', 'disposing', '已制定处置方案（演示）'), (3, 'disposing', 'disposed', '已完善用地手续（演示）')) AS s(step, from_status, to_status, reason)
      WHERE s.step <= CASE i.status WHEN 'confirmed' THEN 1 WHEN 'disposing' THEN 2 WHEN 'disposed' THEN 3 ELSE 0 END
      RETURNING 1
    )
    SELECT count(*)::int AS count FROM inserted`, [year]);
  await client.query(`INSERT INTO stock_counters (district_code, year, kind, last)
    SELECT district_code, year, 'legacy', max(sequence) FROM legacy_lands GROUP BY 1, 2`);

  const { rows: [problems] } = await client.query<{ count: number }>(`
    WITH picked AS (
      SELECT p.district_code AS district, p.id, row_number() OVER (PARTITION BY p.district_code ORDER BY p.id) AS n
      FROM parcels p WHERE p.status IN ('identified', 'suspected')
    ), chosen AS (SELECT district, array_agg(id ORDER BY n) AS ids FROM picked WHERE n <= 10 GROUP BY district),
    numbered AS (SELECT c.district, c.ids, g AS sequence FROM chosen c CROSS JOIN generate_series(1, 5) g),
    inserted AS (
      INSERT INTO stock_problems (number, district_code, year, sequence, category, category_version, title, description, owner_request, department, due_date,
        parcel_ids, status, outcome, created_by, updated_by)
      SELECT n.district || '-WT-' || $1::text || '-' || lpad(n.sequence::text, 4, '0'), n.district, $1::int, n.sequence,
             (ARRAY['planning', 'ownership', 'funding', 'procedures', 'willingness'])[n.sequence],
             1,
             (ARRAY['规划用途与企业转型方向不符', '土地抵押查封，权属受限', '改造资金缺口较大', '厂房无报建手续', '企业不愿退出']) [n.sequence],
             (ARRAY['现状为工业用地，企业拟转型研发总部，需调整控规用途。', '宗地设有抵押且被法院查封，无法办理转让。', '拆除重建测算资金缺口约 3000 万元。', '部分厂房建于二调前，无规划及施工许可。', '权利人经营尚可，对收储补偿标准有异议。'])[n.sequence],
             (ARRAY['希望调整为新型产业用地并提高容积率', '希望协调解除查封后整体转让', '申请纳入城市更新专项资金支持', '希望按现状补办手续', '希望提高补偿标准或置换用地'])[n.sequence],
             (ARRAY['ziranziyuan', 'caizheng', 'fagai', 'zhujian', 'chancu'])[n.sequence],
             (current_date + ((ARRAY[-40, -10, 20, 45, -5])[n.sequence]) * interval '1 day')::date,
             ARRAY[n.ids[1 + (n.sequence - 1) % array_length(n.ids, 1)]],
             (ARRAY['open', 'working', 'working', 'resolved', 'unresolvable'])[n.sequence],
             CASE n.sequence WHEN 4 THEN '已按现状补办规划和用地手续（演示）' WHEN 5 THEN '权利人不同意，暂缓（演示）' END,
             'demo-loader', 'demo-loader'
      FROM numbered n
      RETURNING id, status
    ), steps AS (
      INSERT INTO stock_problem_steps (problem_id, from_status, to_status, note, actor, actor_name)
      SELECT i.id, s.from_status, s.to_status, s.note, 'demo-loader', '演示数据'
      FROM inserted i CROSS JOIN LATERAL (VALUES ('open', 'working', '已交办（演示）'), ('working', i.status, '办结（演示）')) AS s(from_status, to_status, note)
      WHERE (i.status <> 'open' AND s.from_status = 'open') OR (i.status IN ('resolved', 'unresolvable') AND s.from_status = 'working')
      RETURNING 1
    )
    SELECT count(*)::int AS count FROM inserted`, [year]);
  await client.query(`INSERT INTO stock_counters (district_code, year, kind, last)
    SELECT district_code, year, 'problem', max(sequence) FROM stock_problems GROUP BY 1, 2`);
  return { legacy: legacy.count, problems: problems.count };
}
