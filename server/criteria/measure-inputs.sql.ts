import { sql, type RawBuilder } from 'kysely';
import type { MeasureInputs } from '../../domain/identification/measures.js';
import { SQUARE_METRES_PER_MU } from '../../domain/units.js';

/** A parcel's measure inputs with its id, code and status, as one statement reads them for a district. */
export interface ParcelMeasureRow extends MeasureInputs {
  id: number;
  code: string;
  status: string;
  evaluationGrade: string | null;
}

/**
 * The measure inputs (domain/identification/measures.ts MeasureInputs) of every parcel of a
 * district that `where` keeps, in one statement: the card's fields, and the 近三年平均 产值/税收 per 亩
 * of the three latest recorded years (as domain/parcel-yearly.ts recentYearsSummary: the average over
 * the years that have the figure, per 亩 of the registered area, else the drawn one). The measures
 * themselves are computed once, in domain code, for criteria runs and grading alike.
 */
export function measureInputsSql(districtCode: string, where: RawBuilder<boolean> = sql<boolean>`true`): RawBuilder<ParcelMeasureRow> {
  return sql<ParcelMeasureRow>`
    WITH district_parcels AS (SELECT * FROM parcels p WHERE p.district_code = ${districtCode} AND ${where}),
    recent AS (
      SELECT f.parcel_id, avg(f.output_wan)::float8 AS output_avg, avg(f.tax_wan)::float8 AS tax_avg
      FROM (SELECT f.*, row_number() OVER (PARTITION BY f.parcel_id ORDER BY f.year DESC) AS n
            FROM parcel_yearly_figures f JOIN district_parcels p ON p.id = f.parcel_id) f
      WHERE f.n <= 3
      GROUP BY f.parcel_id)
    SELECT p.id::float8 AS id, p.code, p.status, p.evaluation_grade AS "evaluationGrade",
           p.tax_per_mu::float8 AS "taxPerMu", p.output_per_mu::float8 AS "outputPerMu",
           round((r.tax_avg / area.mu)::numeric, 2)::float8 AS "recentTaxPerMu",
           round((r.output_avg / area.mu)::numeric, 2)::float8 AS "recentOutputPerMu",
           p.floor_area_ratio::float8 AS "floorAreaRatio", p.agreed_floor_area_ratio::float8 AS "agreedFloorAreaRatio",
           p.building_coverage::float8 AS "buildingCoverage", p.investment_intensity::float8 AS "investmentIntensity",
           p.invested_amount::float8 AS "investedAmount", p.agreed_investment_intensity::float8 AS "agreedInvestmentIntensity",
           p.production_start::text AS "productionStart", p.production_stop::text AS "productionStop",
           p.completion_date::text AS "completionDate", p.agreed_completion_date::text AS "agreedCompletionDate",
           p.undeveloped_area_m2::float8 AS "undevelopedAreaM2", p.registered_area_m2::float8 AS "registeredAreaM2", p.area_m2 AS "areaM2",
           p.meets_safety AS "meetsSafety", p.meets_environment AS "meetsEnvironment", p.meets_energy AS "meetsEnergy",
           p.industry_code AS "industryCode", p.land_use_code AS "landUseCode"
    FROM district_parcels p
    LEFT JOIN recent r ON r.parcel_id = p.id
    CROSS JOIN LATERAL (SELECT nullif(coalesce(nullif(p.registered_area_m2, 0)::float8, p.area_m2), 0) / ${SQUARE_METRES_PER_MU}::float8 AS mu) area
    ORDER BY p.id`;
}
