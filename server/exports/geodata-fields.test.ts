import { describe, expect, it } from 'vitest';
import { DBF_NAME_BYTES, encodedLength } from '../../domain/exports/dbf-field-names.js';
import { PARCEL_FIELDS as CARD_FIELDS, type ParcelField } from '../../domain/parcel-fields.js';
import { Scope } from '../auth/scope.js';
import { PARCEL_FIELDS, SURVEY_FIELDS, areaQueries, exportedFields, parcelsQuery, surveyQuery, type GeodataLayerQuery } from './geodata.sql.js';
import { PARCEL_TABLE_COLUMNS } from './parcel-table.js';
import { fieldNames } from './writers/geodata.js';

const LAYERS: GeodataLayerQuery[] = [parcelsQuery({}, Scope.system()), surveyQuery(1, {}), ...areaQueries({}, Scope.system())];

describe('one field list: the parcel card decides what every export holds', () => {
  it('every field of the card is in the geodata exports and in the Excel/CSV table, in the card\'s order', () => {
    const exported = PARCEL_FIELDS.map((field) => field.key);
    const tabled = PARCEL_TABLE_COLUMNS.map((column) => column.key);
    for (const field of CARD_FIELDS) {
      expect(exported).toContain(field.key);
      expect(tabled).toContain(field.key);
    }
    const order = CARD_FIELDS.map((field) => exported.indexOf(field.key));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Land areas in m² and 亩, as the issue asks of every geodata format.
    for (const key of ['areaM2', 'registeredAreaM2', 'undevelopedAreaM2']) {
      expect(PARCEL_FIELDS.find((field) => field.key === key)?.unit).toBe('m²');
      expect(PARCEL_FIELDS.find((field) => field.key === key.replace(/M2$/, 'Mu'))?.unit).toBe('亩');
    }
  });

  it('a new card field appears in exports with a name, label, unit and column of its own, without touching exports', () => {
    const added = { key: 'rentPerMu', label: '年租金(每亩)', unit: '万元/亩', kind: 'number', decimals: 2, group: 'economy' } as unknown as ParcelField;
    expect(exportedFields(added)).toEqual([{ key: 'rentPerMu', name: '年租金每亩', short: undefined, label: '年租金(每亩)', unit: '万元/亩', type: '数值', sql: 'p.rent_per_mu::numeric(20,2)' }].map((field) => ({ ...field, sql: expect.stringContaining('p.rent_per_mu') })));
    const flag = { key: 'hasSolar', label: '屋顶光伏', kind: 'boolean', group: 'economy' } as unknown as ParcelField;
    expect(exportedFields(flag)).toMatchObject([{ name: '屋顶光伏', label: '屋顶光伏（是/否）', type: '文本' }]);
    const names = fieldNames({ ...LAYERS[0], fields: [...PARCEL_FIELDS, ...exportedFields(added)] }, 'shapefile', 'GBK');
    expect(names.sheet.at(-1)).toMatchObject({ exportedName: '年租金每亩', fullName: '年租金(每亩)', unit: '万元/亩', note: '' });
  });

  it('GeoPackage and File Geodatabase names: unique, letters, digits and _ only, within 64 characters', () => {
    for (const layer of LAYERS) {
      const names = fieldNames(layer, 'gpkg', 'UTF-8').names;
      expect(new Set(names.map((name) => name.toUpperCase())).size, layer.name).toBe(names.length);
      for (const name of names) {
        expect(name).toMatch(/^[\p{L}_][\p{L}\p{N}_]*$/u);
        expect([...name].length).toBeLessThanOrEqual(64);
      }
    }
  });

  it.each(['GBK', 'UTF-8'] as const)('DBF names in %s over every field of every layer: within 10 bytes, unique, deterministic, every rename in the 字段对照表', (encoding) => {
    for (const layer of LAYERS) {
      const first = fieldNames(layer, 'shapefile', encoding);
      expect(fieldNames(layer, 'shapefile', encoding)).toEqual(first);
      expect(first.names).toHaveLength(layer.fields.length);
      expect(new Set(first.names.map((name) => name.toUpperCase())).size, layer.name).toBe(first.names.length);
      for (const name of first.names) {
        expect(encodedLength(name, encoding), name).toBeLessThanOrEqual(DBF_NAME_BYTES);
        expect(name.length).toBeGreaterThan(0);
      }
      expect(first.sheet.map((row) => row.exportedName)).toEqual(first.names);
      layer.fields.forEach((field, index) => {
        const row = first.sheet[index];
        expect(row.fullName).toBe(field.label);
        if (first.names[index] === field.name) expect(row.note).toBe('');
        else expect(row.note).toContain(`“${field.name}”`);
        if (row.note) expect(row.note).toContain(`改名为“${first.names[index]}”`);
      });
      expect(first.renamed).toBe(first.sheet.filter((row) => row.note !== '').length);
    }
    // Names do not depend on the fields after them: a field added at the end renames no other.
    const parcels = LAYERS[0];
    const shorter = fieldNames({ ...parcels, fields: parcels.fields.slice(0, -1) }, 'shapefile', encoding).names;
    expect(fieldNames(parcels, 'shapefile', encoding).names.slice(0, -1)).toEqual(shorter);
  });

  it('keeps the names officials know, and the short forms of seed 003 in GBK', () => {
    const names = fieldNames(LAYERS[0], 'shapefile', 'GBK').names;
    const nameOf = (key: string) => names[PARCEL_FIELDS.findIndex((field) => field.key === key)];
    expect([nameOf('id'), nameOf('code'), nameOf('owner'), nameOf('location'), nameOf('districtCode'), nameOf('areaM2'), nameOf('areaMu')])
      .toEqual(['系统编号', '宗地编号', '使用权人', '土地坐落', '行政区代码', '椭球面积', '椭球面积亩']);
    expect(SURVEY_FIELDS.map((field) => field.name)).toContain('DLBM');
  });
});
