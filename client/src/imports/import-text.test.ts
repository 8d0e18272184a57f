import { describe, expect, it } from 'vitest';
import {
  commitConsequence,
  commitResultText,
  crsSourceText,
  encodingLabel,
  extentWarningTitle,
  featureStatusColor,
  formatFileSize,
  importStatusLabel,
  IMPORT_STEPS,
  layerFolder,
  layerShortName,
  mappingTargetLabel,
  mappingTargets,
  phaseLabel,
  phaseStep,
  nothingWrittenReason,
  refusalRemedy,
  wroteNothing,
} from './import-text.js';

const report = { features: 12, valid: 10, repaired: 2, rejected: 0, warnings: [], errors: [], samples: [] };

describe('import texts', () => {
  it('names the phases in Chinese, in order', () => {
    expect(IMPORT_STEPS.map((step) => step.label)).toEqual(['上传', '读取', '检查', '提交']);
    expect(phaseLabel('validate')).toBe('检查');
    expect(phaseStep('read')).toBe(1);
    expect(phaseStep('done')).toBe(4);
  });

  it('names every status', () => {
    const statuses = ['processing', 'needs-input', 'ready', 'committing', 'committed', 'failed', 'refused', 'cancelled'];
    expect(statuses.map(importStatusLabel)).toEqual(['处理中', '待确认', '待提交', '提交中', '已入库', '失败', '无法导入', '已取消']);
  });

  it('colours features by status, unknown as rejected', () => {
    expect(featureStatusColor('valid')).toBe('#4caf50');
    expect(featureStatusColor('repaired')).toBe('#f2b134');
    expect(featureStatusColor('rejected')).toBe('#d94841');
    expect(featureStatusColor(null)).toBe('#d94841');
  });

  it('says that a survey year replaces the layer of that year, which is kept', () => {
    expect(commitConsequence({ kind: 'survey', year: 2023, report })).toBe(
      '将作为 2023 年变更调查图层入库，替换现有 2023 年图层（旧图层保留备查）。共写入 12 个图斑。',
    );
    expect(commitConsequence({ kind: 'survey', year: null, report: { ...report, valid: 9, rejected: 1 } })).toBe(
      '将作为变更调查图层入库，年份取数据中的 SJNF 字段；同年已有的图层将被替换（旧图层保留备查）。共写入 11 个图斑；1 个已拒绝的要素不入库。',
    );
  });

  it('says that parcels are matched by 宗地编号', () => {
    expect(commitConsequence({ kind: 'parcels', year: null, report: { ...report, features: 1, valid: 1, repaired: 0 } })).toContain('将把 1 宗地块写入地块库：宗地编号已存在的更新');
  });

  it('reports a commit in words', () => {
    expect(commitResultText({ kind: 'survey', year: 2023, layerId: 7, features: 12, supersededLayerId: 3 })).toBe(
      '2023 年变更调查图层已入库（图层编号 7），共 12 个图斑，原 2023 年图层（编号 3）已被替换并保留备查。',
    );
    expect(commitResultText({ kind: 'survey', year: 2024, layerId: 8, features: 1234, supersededLayerId: null })).toBe(
      '2024 年变更调查图层已入库（图层编号 8），共 1,234 个图斑。',
    );
    expect(commitResultText({ kind: 'parcels', inserted: 1, updated: 2, skipped: 3, problems: [{ fid: 4, message: 'TDMJ: 不是数字' }] })).toBe(
      '地块已入库：新增 1 宗，更新 2 宗，跳过 3 宗（不在管辖范围内）；1 处属性未能写入，见下表。',
    );
  });

  it('says what to do after a refusal', () => {
    expect(refusalRemedy('unsupported_crs')).toContain('转换为 CGCS2000');
    expect(refusalRemedy('something_new')).toBe('请检查文件后重新上传。');
    expect(refusalRemedy(null)).toBe('请检查文件后重新上传。');
  });

  it('writes where a CRS came from', () => {
    expect(crsSourceText({ source: 'prj', reason: '坐标系名称「CGCS2000_3_Degree_GK_Zone_39」' })).toBe('.prj 文件：坐标系名称「CGCS2000_3_Degree_GK_Zone_39」');
    expect(crsSourceText({ source: 'butiao', reason: '文件头：2000国家大地坐标系 3度带 带号 40' })).toBe('部标文件头：2000国家大地坐标系 3度带 带号 40');
  });

  it('labels mapping targets by kind, with the national field code for surveys', () => {
    expect(mappingTargetLabel('survey', 'patchArea')).toBe('TBMJ 图斑面积 (m²)');
    expect(mappingTargetLabel('parcels', 'registeredAreaM2')).toMatch(/^土地面积.* \(m²\)$/);
    expect(mappingTargets('survey').some((target) => target.key === 'bsm')).toBe(true);
    expect(mappingTargets('parcels').some((target) => target.key === 'bsm')).toBe(false);
  });

  it('formats sizes, encodings and layer paths', () => {
    expect(formatFileSize(2413)).toBe('2.4 KB');
    expect(formatFileSize(512)).toBe('512 B');
    expect(formatFileSize(210 * 1024 * 1024)).toBe('210 MB');
    expect(encodingLabel('gbk')).toBe('GBK');
    expect(layerShortName('dltb-2023-gbk-4527/2023年变更调查/DLTB.SHP')).toBe('DLTB.SHP');
    expect(layerFolder('dltb-2023-gbk-4527/2023年变更调查/DLTB.SHP')).toBe('dltb-2023-gbk-4527/2023年变更调查');
    expect(layerFolder('pengbu_BR-14.txt')).toBe('');
  });
});

describe('checks before the commit', () => {
  it('counts the features outside the 管辖范围 and the city', () => {
    const extent = { scope: '湖里区', city: '厦门市', checked: 85, partly: 3, outside: 82, outsideCity: 76, features: [] };
    expect(extentWarningTitle(extent)).toBe('85 个要素中 82 个不在您的管辖范围（湖里区）内，其中 76 个在厦门市以外，3 个部分在外');
    expect(extentWarningTitle({ ...extent, partly: 0, outside: 0, outsideCity: 0 })).toBeNull();
  });

  it('does not call a commit that wrote nothing a success, and says why', () => {
    const empty = { kind: 'parcels' as const, inserted: 0, updated: 0, skipped: 1, problems: [{ fid: 1, message: '宗地编号 X 是 思明区 (350203) 的地块，不在您的管辖范围内，未更新' }] };
    expect(wroteNothing(empty)).toBe(true);
    expect(nothingWrittenReason(empty)).toContain('思明区');
    expect(wroteNothing({ ...empty, inserted: 1 })).toBe(false);
    expect(wroteNothing({ kind: 'survey', year: 2023, layerId: 1, features: 12, supersededLayerId: null })).toBe(false);
  });

  it('does not promise SJNF when the file has none', () => {
    expect(commitConsequence({ kind: 'survey', year: null, report: { ...report, yearNeeded: true } })).toContain('没有 SJNF');
  });
});
