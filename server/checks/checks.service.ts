import fp from 'fastify-plugin';
import type { CheckAnswer, CheckBody } from '../../domain/api/checks.schemas.js';
import type { StoredRuleSet } from '../../domain/api/rules.schemas.js';
import type { CheckProjects } from '../../domain/api/checks.schemas.js';
import { DEFAULT_AREA_KIND, type AreaKind } from '../../domain/redevelopment-areas.js';
import { checkContextOf, evaluateRuleSet, gapToleranceOf, type ProjectFigures, type RuleSet } from '../../domain/rules/rules.js';
import { maskOutOfScopeArea, maskOutOfScopeParcel } from '../../domain/scope-visibility.js';
import { areaInUnits, roundTo } from '../../domain/units.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { databaseFault } from '../db/availability.js';
import { isQueryCanceled } from '../db/pools.js';
import { assertGeoJsonPolygon } from '../geometry/geojson.js';
import type { RuleSetsRepository } from '../rules/rule-sets.repository.js';
import {
  CHECK_BOUNDARY_EMPTY, CHECK_BOUNDARY_TOO_LARGE, CHECK_GEOMETRY_INVALID, CHECK_GEOMETRY_UNREADABLE, CHECK_TOO_MANY_VERTICES,
  CHECK_UNKNOWN_RULE_SET, MAX_AREA_M2, MAX_VERTICES, type CheckStep,
} from './check-input.validation.js';
import type { ChecksRepository } from './checks.repository.js';

export interface CheckInput {
  /** GeoJSON Polygon or MultiPolygon, EPSG:4326 (taken as CGCS2000: the two agree to centimetres). */
  boundary: object;
  /** 零星用地 and 配套用房 land drawn inside the boundary: GeoJSON geometries (already checked). */
  fragments: object[];
  supportingLand: object[];
  /** Parcels taken in; null = every parcel intersecting the boundary. */
  parcels: number[] | null;
  /** Parcels the planner marks as 零星用地 (they count whole, inside the boundary). */
  fragmentParcels: number[];
  uncoveredIsFragment: boolean;
  /** The saved area being revised, left out of the overlap. */
  excludeArea: number | null;
  figures: { totalFloorArea: number | null; grossFloorArea: number | null; supportingFloorArea: number | null; factoryFloorArea: number | null };
  /** What the area is: rules bind only the kinds they name. */
  kind: AreaKind;
  /** Projects in the area as entered; null: counted from the taken parcels' 土地使用权人. */
  projectCount: number | null;
  /** Rule sets applied beside the city's (each at the version asked for, else its current one). */
  additionalRuleSets: StoredRuleSet[];
}

/** How many projects an area holds: the planner's count, else the 土地使用权人 of its parcels. */
export function projectsOf(projectCount: number | null, owners: number, parcels: number): CheckProjects {
  if (projectCount !== null) return { count: projectCount, basis: 'input', owners, parcels };
  if (owners > 0) return { count: owners, basis: 'owners', owners, parcels };
  return { count: 1, basis: 'single', owners, parcels };
}


/**
 * The authoritative check of a 成片改造区域: the figures from PostGIS (checks.sql.ts, `geography`
 * areas on CGCS2000), then the pure rule code of domain/rules — the same the browser runs while
 * drawing. Expected failures are answered as values (check-input.validation.ts).
 */
export function createChecksService(repositories: { checks: ChecksRepository; ruleSets: RuleSetsRepository }) {
  const { checks, ruleSets } = repositories;

  const service = {
    /**
     * Validates a check body (GeoJSON structure, vertex count, rule set) and turns it into the
     * input of `run`. Shared by POST /api/checks and the saved areas, which store the same body.
     */
    async prepare(body: CheckBody): Promise<CheckStep<{ ruleSet: StoredRuleSet; input: CheckInput }>> {
      let vertices = assertGeoJsonPolygon(body.boundary, 'boundary');
      const geometries = (name: 'fragments' | 'supportingLand') => (body[name]?.features ?? []).map((feature, index) => {
        vertices += assertGeoJsonPolygon(feature.geometry, `${name}.features[${index}].geometry`);
        return feature.geometry;
      });
      const fragments = geometries('fragments');
      const supportingLand = geometries('supportingLand');
      if (vertices > MAX_VERTICES) return { ok: false, reason: CHECK_TOO_MANY_VERTICES, where: 'boundary', vertices };
      const unknown = async (where: string, id: string, version: number | undefined) => {
        const known = (await ruleSets.current()).map((candidate) => candidate.id);
        return { ok: false as const, reason: CHECK_UNKNOWN_RULE_SET as typeof CHECK_UNKNOWN_RULE_SET, where, ruleSet: id, ruleSetVersion: version ?? null, known };
      };
      const ruleSet = await ruleSets.find(body.ruleSet, body.ruleSetVersion);
      if (!ruleSet) return await unknown('ruleSet', body.ruleSet, body.ruleSetVersion);
      // The same set named twice (or the city's again) is applied once.
      const additionalRuleSets: StoredRuleSet[] = [];
      const seen = new Set([ruleSet.id]);
      for (const [index, wanted] of (body.additionalRuleSets ?? []).entries()) {
        if (seen.has(wanted.id)) continue;
        const found = await ruleSets.find(wanted.id, wanted.version);
        if (!found) return await unknown(`additionalRuleSets[${index}]`, wanted.id, wanted.version);
        seen.add(found.id);
        additionalRuleSets.push(found);
      }
      return {
        ok: true,
        ruleSet,
        input: {
          boundary: body.boundary,
          fragments,
          supportingLand,
          parcels: body.parcels ?? null,
          fragmentParcels: body.fragmentParcels ?? [],
          uncoveredIsFragment: body.uncoveredIsFragment ?? true,
          excludeArea: body.excludeArea ?? null,
          kind: body.kind ?? DEFAULT_AREA_KIND,
          projectCount: body.projectCount ?? null,
          additionalRuleSets,
          figures: {
            totalFloorArea: body.figures?.totalFloorArea ?? null,
            grossFloorArea: body.figures?.grossFloorArea ?? null,
            supportingFloorArea: body.figures?.supportingFloorArea ?? null,
            factoryFloorArea: body.figures?.factoryFloorArea ?? null,
          },
        },
      };
    },

    /**
     * PostGIS's judgement of a body's geometries: readable, valid (GEOS's reason otherwise, naming
     * the part) and the boundary within the area cap. `run` starts with it; anything else that
     * overlays a body's boundary (a saved area's district) must ask it first, since an invalid
     * polygon makes GEOS throw a TopologyException there.
     */
    async validate(input: CheckInput): Promise<CheckStep<{ areaM2: number }>> {
      let validity;
      try {
        validity = await checks.validity(input);
      } catch (error) {
        // The database away (503) or this class's statement_timeout (503 query_timeout): not an unreadable geometry.
        if (databaseFault(error) || isQueryCanceled(error)) throw error;
        return { ok: false, reason: CHECK_GEOMETRY_UNREADABLE, where: 'boundary', detail: (error as Error).message };
      }
      const invalid = validity.find((row) => !row.valid);
      if (invalid) {
        const where = invalid.part === 'boundary' ? 'boundary' : `${invalid.part}.features[${invalid.index}]`;
        return { ok: false, reason: CHECK_GEOMETRY_INVALID, where, geosReason: invalid.reason };
      }
      const areaM2 = validity.find((row) => row.part === 'boundary')?.area ?? 0;
      if (areaM2 > MAX_AREA_M2) return { ok: false, reason: CHECK_BOUNDARY_TOO_LARGE, where: 'boundary', areaM2 };
      return { ok: true, areaM2 };
    },

    /**
     * The figures and the rules' answer. Parcels outside the reader's scope show only the fields
     * of domain/scope-visibility.ts, and their 低效 land is not counted as such; other areas outside
     * it are there with their shared land, not their name or status.
     */
    async run(ruleSet: RuleSet, input: CheckInput, scope: Scope): Promise<CheckStep<{ answer: CheckAnswer }>> {
      const tolerance = gapToleranceOf(ruleSet, ...input.additionalRuleSets);
      const valid = await service.validate(input);
      if (!valid.ok) return valid;

      const figures = await checks.figures(input, {
        parcels: input.parcels, fragmentParcels: input.fragmentParcels, uncoveredIsFragment: input.uncoveredIsFragment, gapToleranceM: tolerance, scope,
      });
      if (figures.project_m2 <= 0) return { ok: false, reason: CHECK_BOUNDARY_EMPTY, where: 'boundary' };
      const overlaps = await checks.overlaps(input.boundary, input.excludeArea, scope);
      const overlapM2 = overlaps[0]?.union_m2 ?? 0;

      const projectFigures: ProjectFigures = {
        projectLandM2: figures.project_m2,
        fragmentLandM2: figures.fragment_m2,
        supportingLandM2: figures.supporting_m2,
        totalFloorAreaM2: input.figures.totalFloorArea,
        grossFloorAreaM2: input.figures.grossFloorArea,
        supportingFloorAreaM2: input.figures.supportingFloorArea,
        factoryFloorAreaM2: input.figures.factoryFloorArea,
        pieces: figures.pieces,
      };
      const projects = projectsOf(input.projectCount, figures.owners, figures.project_parcels);
      const context = checkContextOf(input.kind, projects);
      const applied = [ruleSet, ...input.additionalRuleSets];
      const answer: CheckAnswer = {
        area: areaInUnits(figures.project_m2),
        checks: applied.flatMap((set) => evaluateRuleSet(set, projectFigures, context)),
        pieces: figures.pieces,
        ruleSetVersion: ruleSet.version,
        ruleSet: { id: ruleSet.id, version: ruleSet.version, name: ruleSet.name, city: ruleSet.city },
        ruleSets: applied.map((set) => ({ id: set.id, version: set.version, name: set.name, city: set.city })),
        kind: input.kind,
        projects,
        figures: {
          projectLandM2: roundTo(figures.project_m2, 2),
          fragmentLandM2: roundTo(figures.fragment_m2, 2),
          uncoveredLandM2: roundTo(figures.uncovered_m2, 2),
          supportingLandM2: roundTo(figures.supporting_m2, 2),
          parcelLandM2: roundTo(figures.parcel_m2, 2),
          inefficientLandM2: roundTo(figures.inefficient_m2, 2),
          inefficientShare: figures.project_m2 > 0 ? roundTo(figures.inefficient_m2 / figures.project_m2, 4) : null,
          gapToleranceM: tolerance,
          overlapM2: roundTo(overlapM2, 2),
          totalFloorAreaM2: input.figures.totalFloorArea,
          grossFloorAreaM2: input.figures.grossFloorArea,
          supportingFloorAreaM2: input.figures.supportingFloorArea,
          factoryFloorAreaM2: input.figures.factoryFloorArea,
        },
        parcels: (figures.parcels ?? []).map(({ inScope, insideM2, share, ...parcel }) => {
          const own = { ...parcel, areaM2: Number(parcel.areaM2) };
          return { ...(inScope ? own : maskOutOfScopeParcel(own)), insideM2: Number(insideM2), share: Number(share) };
        }),
        overlaps: overlaps.map(({ id, name, status, in_scope: inScope, overlap_m2: overlapM2 }) => {
          const own = { id: Number(id), name, status, overlapM2: roundTo(overlapM2, 2) };
          return inScope ? own : maskOutOfScopeArea(own);
        }),
      };
      return { ok: true, answer };
    },
  };
  return service;
}

export type ChecksService = ReturnType<typeof createChecksService>;

declare module 'fastify' {
  interface FastifyInstance {
    checksService: ChecksService;
  }
}

/** The checks service, built once per app over the checks and rule-sets repositories. */
export const checksServicePlugin = fp(async (app: AppInstance) => {
  app.decorate('checksService', createChecksService({ checks: app.checksRepository, ruleSets: app.ruleSetsRepository }));
}, { name: 'checks-service', dependencies: ['checks-repository', 'rule-sets-repository'] });
