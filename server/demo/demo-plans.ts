import type pg from 'pg';

/**
 * The demo city's 年度实施计划 (issue 18 item 5): per district this year's plan with three projects
 * on its 低效 parcels (the first one a 试点, linked to a 成片改造区域 where the district has one), each
 * with four milestones around today: some done (one late), some overdue, some to come. 湖里区's plan
 * is 已下达, 思明区's 专班审定, the others 编制中 (their steps on record). Written in the reload's
 * transaction (bulk load), after the parcels.
 */
const PROJECTS = [
  { name: '老旧厂房“工改工”提升改造', developer: '区属国有平台公司', mode: 'jigai', content: '拆除重建高标准厂房，引入智能制造企业，完善配套设施，容积率由 0.8 提升至 2.5。',
    scheme: { renovation: '分两期拆除重建，一期建设 4 栋高标准厂房，二期建设研发楼与配套用房。', operation: '平台公司持有运营，定向招引智能制造企业，租售结合。', funding: '总投资约 3.2 亿元：企业自筹 40%，银行贷款 45%，城市更新专项资金 15%；租售收入 12 年平衡。', schedule: '当年完成方案批复与拆除，次年主体施工，第三年竣工投产。' } },
  { name: '闲置地块定向招商', developer: '区投资促进中心', mode: 'zhaoshang', content: '明确规划用地要求，纳入招商地图，制定专属招商方案，定向引进新能源配套项目。', scheme: {} },
  { name: '停产企业整合重组', developer: '某实业有限公司（原权利人）', mode: 'zhenghe', content: '引入优势企业兼并重组，盘活闲置厂房，恢复生产并扩大产能。', scheme: {} },
];

const MILESTONES: readonly { name: string; unit: string; plannedOffset: number; doneOffset: number | null }[][] = [
  [
    { name: '实施方案经区政府批准', unit: '市规划资源局（区分局）', plannedOffset: -120, doneOffset: -125 },
    { name: '完成土地和房屋征收补偿', unit: '区住房城乡建设委', plannedOffset: -60, doneOffset: -48 },
    { name: '取得施工许可', unit: '区住房城乡建设委', plannedOffset: -15, doneOffset: null },
    { name: '主体结构封顶', unit: '区属国有平台公司', plannedOffset: 150, doneOffset: null },
  ],
  [
    { name: '明确规划用地条件', unit: '市规划资源局（区分局）', plannedOffset: -90, doneOffset: -95 },
    { name: '发布专属招商方案', unit: '区商务局', plannedOffset: -30, doneOffset: null },
    { name: '签订投资协议', unit: '区投资促进中心', plannedOffset: 60, doneOffset: null },
    { name: '完成土地供应', unit: '市规划资源局（区分局）', plannedOffset: 180, doneOffset: null },
  ],
  [
    { name: '完成资产评估', unit: '区国资委', plannedOffset: -75, doneOffset: -80 },
    { name: '签订重组协议', unit: '区产业发展促进局', plannedOffset: -20, doneOffset: -22 },
    { name: '恢复生产', unit: '某实业有限公司（原权利人）', plannedOffset: 45, doneOffset: null },
    { name: '产值达到约定标准', unit: '区产业发展促进局', plannedOffset: 200, doneOffset: null },
  ],
];

export async function loadDemoPlans(client: pg.PoolClient, year: number): Promise<number> {
  const { rows: districts } = await client.query<{ code: string; name: string; parcels: number[]; area: number | null }>(`
    SELECT d.code, d.name,
           ARRAY(SELECT p.id::int FROM parcels p WHERE p.district_code = d.code AND p.status IN ('identified', 'suspected') ORDER BY p.id DESC LIMIT 6) AS parcels,
           (SELECT a.id::int FROM areas a WHERE a.district_code = d.code AND a.deleted_at IS NULL ORDER BY a.id LIMIT 1) AS area
    FROM districts d WHERE d.level = 'district' ORDER BY d.code`);
  const { rows: [{ version }] } = await client.query<{ version: number }>('SELECT max(version) AS version FROM annual_plan_policies');
  let count = 0;
  for (const district of districts) {
    if (district.parcels.length < 3) continue;
    const state = district.code.endsWith('0206') ? 'issued' : district.code.endsWith('0203') ? 'reviewed' : 'drafting';
    const { rows: [plan] } = await client.query<{ id: number }>(`
      INSERT INTO annual_plans (district_code, year, title, note, state, policy_version, created_by, updated_by)
      VALUES ($1, $2, $3, '按照“成熟一批、推动一批”原则编制（演示）', $4, $5, 'demo-loader', 'demo-loader') RETURNING id::int`,
    [district.code, year, `${district.name}${year}年度低效用地再开发实施计划`, state, version]);
    const steps = state === 'issued' ? [['drafting', 'reviewed', '专班会议审定通过（演示）'], ['reviewed', 'issued', '区政府同意下达（演示）']] : state === 'reviewed' ? [['drafting', 'reviewed', '专班会议审定通过（演示）']] : [];
    for (const [from, to, reason] of steps) {
      await client.query(`INSERT INTO annual_plan_steps (plan_id, from_state, to_state, reason, actor, actor_name) VALUES ($1, $2, $3, $4, 'demo-loader', '演示数据')`, [plan.id, from, to, reason]);
    }
    for (const [index, project] of PROJECTS.entries()) {
      const parcels = district.parcels.slice(index * 2, index * 2 + 2);
      const areas = index === 0 && district.area !== null ? [district.area] : [];
      const { rows: [row] } = await client.query<{ id: number }>(`
        INSERT INTO plan_projects (plan_id, name, developer, content, mode, parcel_ids, area_ids, pilot, scheme, created_by, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'demo-loader', 'demo-loader') RETURNING id::int`,
      [plan.id, `${district.name}${project.name}`, project.developer, project.content, project.mode, parcels, areas, index === 0, JSON.stringify(project.scheme)]);
      for (const milestone of MILESTONES[index]) {
        await client.query(`
          INSERT INTO plan_milestones (project_id, name, planned_date, responsible_unit, done_date, created_by, updated_by)
          VALUES ($1, $2, current_date + $3::int, $4, current_date + $5::int, 'demo-loader', 'demo-loader')`,
        [row.id, milestone.name, milestone.plannedOffset, milestone.unit, milestone.doneOffset]);
      }
    }
    count++;
  }
  return count;
}
