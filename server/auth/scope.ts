import { sql, type RawBuilder } from 'kysely';
import { ApiError } from '../errors.js';
import { scopeNames, type Principal } from './principal.js';

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

/**
 * The one district-scope rule (管辖范围) of a signed-in user. Every read filter, every write check
 * and every SQL fragment that depends on the user's districts comes from here, so that the rule
 * is written once: a user covers the districts of their scope (a city code covers its districts);
 * a scope that covers every district is unrestricted and filters nothing.
 */
export class Scope {
  private readonly allowed: ReadonlySet<string>;

  private constructor(readonly principal: Principal) {
    this.allowed = new Set(principal.allowedDistricts);
  }

  static of(principal: Principal): Scope {
    return new Scope(principal);
  }

  /** The scope of the system itself (scripts, benchmarks, tests): every district, no filter. */
  static system(): Scope {
    return new Scope({ id: 0, username: 'system', displayName: 'system', role: 'admin', mustChangePassword: false, scopes: [], allowedDistricts: [], unrestricted: true });
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
