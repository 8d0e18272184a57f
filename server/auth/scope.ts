import { sql, type RawBuilder } from 'kysely';
import { ApiError } from '../errors.js';
import { makePrincipal, scopeNames, type Principal } from './principal.js';

export const OUT_OF_SCOPE = 'out_of_scope';

/** A district as scope errors name it. */
export interface NamedDistrict {
  code: string;
  name: string;
}

export class OutOfScopeError extends ApiError {
  constructor(principal: Principal, district: NamedDistrict, verb = '修改', subject = '该地块') {
    super(403, OUT_OF_SCOPE,
      `您的账号只能${verb} ${scopeNames(principal)} 的数据；${subject}属于 ${district.name} (${district.code})。如需${verb}，请联系系统管理员调整管辖范围。`,
      { district });
  }
}

/** Where a parcel (or a case on it) lies: its 区县, its 街道/镇 and its 园区 (NULL = 园区外). */
export interface Place {
  districtCode: string;
  subdistrictCode: string | null;
  parkCode: string | null;
}

/** A place as refusals name it: `name` is its 园区 or 街道/镇 as users know it, `districtName` its 区县. */
export type NamedPlace = Place & { name?: string; districtName?: string };

export class OutOfUnitError extends ApiError {
  constructor(principal: Principal, place: NamedPlace, verb = '办理', subject = '该地块') {
    const where = place.name ?? place.parkCode ?? place.subdistrictCode ?? place.districtCode;
    super(403, OUT_OF_SCOPE,
      `您的账号只能${verb} ${scopeNames(principal)} 内的地块；${subject}位于 ${where}。园区内用地由园区办办理，园区外用地由镇政府（街道办）办理；如需调整，请联系系统管理员。`,
      { place: { districtCode: place.districtCode, subdistrictCode: place.subdistrictCode, parkCode: place.parkCode, name: where } });
  }
}

/**
 * The one district-scope rule (管辖范围) of a signed-in user. Every read filter, every write check
 * and every SQL fragment that depends on the user's districts comes from here, so that the rule
 * is written once: a user covers the districts of their scope (a city code covers its districts);
 * a scope that covers every district is unrestricted and filters nothing.
 */
export class Scope {
  private readonly allowed: ReadonlySet<string>;
  private readonly unitSet: ReadonlySet<string>;
  private readonly enterpriseParcels: ReadonlySet<number>;

  private constructor(readonly principal: Principal) {
    this.allowed = new Set(principal.allowedDistricts);
    this.unitSet = new Set(principal.units);
    this.enterpriseParcels = new Set(principal.enterpriseParcelIds);
  }

  static of(principal: Principal): Scope {
    return new Scope(principal);
  }

  /** The scope of the system itself (scripts, benchmarks, tests): every district, no filter. */
  static system(): Scope {
    return new Scope(makePrincipal({ id: 0, username: 'system', role: 'admin', unrestricted: true }));
  }

  /** True when the scope covers every district: no filter is needed. */
  get unrestricted(): boolean {
    return this.principal.unrestricted;
  }

  /** District codes to filter by, or null when the user sees everything (a `text[]` parameter). */
  get districts(): string[] | null {
    return this.principal.unrestricted ? null : this.principal.allowedDistricts;
  }

  /** Whether the user may read and write the data of this district (区县 code). */
  covers(districtCode: string | null | undefined): boolean {
    if (this.principal.unrestricted) return true;
    return districtCode != null && this.allowed.has(districtCode);
  }

  /** Whether any district is in scope at all (a city is "in scope" when one of its districts is). */
  get coversAny(): boolean {
    return this.principal.unrestricted || this.allowed.size > 0;
  }

  /** Refuses a write to data of a district outside the scope, naming the district (403 out_of_scope). */
  assertWritable(district: NamedDistrict, subject = '该地块', verb = '修改'): void {
    if (!this.covers(district.code)) throw new OutOfScopeError(this.principal, district, verb, subject);
  }

  /** Refuses a read of data (beyond its public shape) of a district outside the scope. */
  assertReadable(district: NamedDistrict, subject = '该地块'): void {
    if (!this.covers(district.code)) throw new OutOfScopeError(this.principal, district, '查看', subject);
  }

  /** The 园区/街道/镇 codes the scope is narrowed to for writes; `[]` = whole districts. */
  get units(): readonly string[] {
    return this.principal.units;
  }

  /**
   * Whether the user may write (conduct the case of) a parcel at this place: its district is in
   * scope and, for a user scoped to 园区 or 街道/镇, the place is theirs: a 园区内 parcel belongs to
   * its 园区, a 园区外 parcel to its 街道/镇 (seed 003 二.2). Reads stay district-wide (`covers`).
   */
  coversPlace(place: Place): boolean {
    if (!this.covers(place.districtCode)) return false;
    if (this.unitSet.size === 0) return true;
    if (place.parkCode) return this.unitSet.has(place.parkCode);
    return place.subdistrictCode !== null && this.unitSet.has(place.subdistrictCode);
  }

  /** Refuses a write outside the user's districts or units (403 out_of_scope, naming the district or the 园区/街道). */
  assertPlaceWritable(place: NamedPlace, subject = '该地块', verb = '办理'): void {
    if (!this.covers(place.districtCode)) throw new OutOfScopeError(this.principal, { code: place.districtCode, name: place.districtName ?? place.districtCode }, verb, subject);
    if (!this.coversPlace(place)) throw new OutOfUnitError(this.principal, place, verb, subject);
  }

  /** Whether the parcel is one of a 用地单位 account's own (false for every other account). */
  coversParcelOfEnterprise(parcelId: number): boolean {
    return this.enterpriseParcels.has(Number(parcelId));
  }

  /** Kysely fragment: the row's place is writable by the user (`coversPlace` in SQL). */
  sqlCoversPlace(districtColumn: string, subdistrictColumn: string, parkColumn: string): RawBuilder<boolean> {
    const units = this.principal.units;
    if (units.length === 0) return this.sqlCovers(districtColumn);
    return sql<boolean>`(${this.sqlCovers(districtColumn)} AND CASE WHEN ${sql.ref(parkColumn)} IS NOT NULL
      THEN ${sql.ref(parkColumn)} = ANY(${units}::text[]) ELSE coalesce(${sql.ref(subdistrictColumn)} = ANY(${units}::text[]), false) END)`;
  }

  /** Kysely fragment: the parcel id `column` is one of the enterprise's own. */
  sqlEnterpriseParcel(column: string): RawBuilder<boolean> {
    return sql<boolean>`(${sql.ref(column)} = ANY(${this.principal.enterpriseParcelIds}::bigint[]))`;
  }

  /** Kysely fragment: the row's district `column` is in scope (`true` when unrestricted). */
  sqlCovers(column: string): RawBuilder<boolean> {
    if (this.principal.unrestricted) return sql<boolean>`true`;
    return sql<boolean>`(${sql.ref(column)} = ANY(${this.principal.allowedDistricts}::text[]))`;
  }
}

/**
 * The same rule as SQL text for named prepared statements over raw `pg` (the tile statements),
 * where the scope is the `text[]` parameter `$n` given `Scope.districts` (null = all).
 */
export function scopeSqlText(column: string, parameter: number): string {
  return `($${parameter}::text[] IS NULL OR ${column} = ANY($${parameter}::text[]))`;
}
