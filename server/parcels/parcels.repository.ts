import { sql } from 'kysely';
import type { DatabaseClient } from '../db/database.js';
import type { ParcelDetailBody } from './parcels.routes.js';

export interface ParcelListFilter {
  district?: string;
  status?: string;
  type?: string;
  page: number;
  pageSize: number;
}

const DETAIL_COLUMNS = sql`
  p.id, p.code, p.district_code AS "districtCode", d.name AS "districtName", p.owner,
  p.town_or_park AS "townOrPark", p.location, p.registered_area_m2 AS "registeredAreaM2",
  p.area_m2 AS "areaM2", p.contract_no AS "contractNo", p.certificate_no AS "certificateNo",
  p.land_use_code AS "landUseCode", p.planned_function AS "plannedFunction",
  p.industry_code AS "industryCode", p.floor_area_m2 AS "floorAreaM2",
  p.floor_area_ratio AS "floorAreaRatio", p.building_coverage AS "buildingCoverage",
  p.investment_intensity AS "investmentIntensity", p.output_per_mu AS "outputPerMu",
  p.tax_per_mu AS "taxPerMu", p.production_start AS "productionStart",
  p.production_stop AS "productionStop", p.admin_facility_share AS "adminFacilityShare",
  p.undeveloped_area_m2 AS "undevelopedAreaM2", p.meets_safety AS "meetsSafety",
  p.meets_environment AS "meetsEnvironment", p.meets_energy AS "meetsEnergy", p.status,
  p.inefficiency_type AS "inefficiencyType", p.identified_at AS "identifiedAt",
  p.redevelopment_intent AS "redevelopmentIntent", p.evaluation_grade AS "evaluationGrade",
  json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)) AS bbox,
  ST_AsGeoJSON(p.geom, 8)::json AS geometry, p.updated_at AS "updatedAt", p.updated_by AS "updatedBy"`;

export function createParcelsRepository(db: DatabaseClient) {
  return {
    async find(id: number): Promise<ParcelDetailBody | undefined> {
      const { rows } = await sql<ParcelDetailBody>`
        SELECT ${DETAIL_COLUMNS}
        FROM parcels p JOIN districts d ON d.code = p.district_code
        WHERE p.id = ${id}`.execute(db);
      return rows[0];
    },

    /** One page of parcels; a city code matches the parcels of all its districts. */
    async list(filter: ParcelListFilter) {
      let query = db.selectFrom('parcels as p');
      if (filter.district) {
        const district = filter.district;
        query = query.where('p.district_code', 'in', db.selectFrom('districts as d').select('d.code')
          .where((where) => where.or([where('d.code', '=', district), where('d.parent_code', '=', district)])));
      }
      if (filter.status) query = query.where('p.status', '=', filter.status);
      if (filter.type) query = query.where('p.inefficiency_type', '=', filter.type);
      const [{ total }] = await query.select((select) => select.fn.countAll<number>().as('total')).execute();
      const items = await query
        .select([
          'p.id', 'p.code', 'p.owner', 'p.district_code as districtCode', 'p.status',
          'p.inefficiency_type as inefficiencyType', 'p.area_m2 as areaM2',
        ])
        .orderBy('p.id')
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize)
        .execute();
      return { items, total: Number(total), page: filter.page, pageSize: filter.pageSize };
    },
  };
}
