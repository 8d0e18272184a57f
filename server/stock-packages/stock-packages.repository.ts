import fp from 'fastify-plugin';
import { sql, type Transaction } from 'kysely';
import type { StockPackageListQuery } from '../../domain/api/stock-packages.schemas.js';
import type { AppInstance } from '../app-instance.js';
import type { Scope } from '../auth/scope.js';
import { writeAs, type Actor } from '../db/actor.js';
import type { DatabaseClient } from '../db/database.js';
import type { Database } from '../db/schema.js';
import {
  PACKAGE_COLUMNS, PACKAGE_COUNTS, comparisonCountsSql, comparisonSql, groupSql, itemsSql, overdueSql, snapshotSql,
} from './stock-packages.sql.js';

export interface PackageRow {
  id: number; districtCode: string; districtName: string; districtParent: string | null; version: number; asOf: string; title: string; status: string;
  statusAt: Date; previousId: number | null; assembledAt: Date; assembledBy: string; consentDocumentNo: string | null; consentDate: string | null;
  consentNote: string | null; consentFileName: string | null; consentMediaType: string | null; consentByteSize: number | null; reviewRemarks: string | null;
  createdBy: string; createdAt: Date; parcelCount: number; legacyCount: number; problemCount: number; parcelAreaM2: number; legacyAreaM2: number;
}

/** The consent of the 区人民政府 as recorded with the step 区政府已同意. */
export interface ConsentFacts {
  documentNo: string; date: string; note: string | null; fileName: string; mediaType: string; sha256: string; content: Buffer;
}

export type StepOutcome = { ok: true } | { ok: false; status: string };
export type CreateOutcome = { ok: true; id: number } | { ok: false; openId: number; openStatus: string; openVersion: number };

/** The China calendar date now (YYYY-MM-DD): a package's 数据截至日期. */
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

type Executor = DatabaseClient | Transaction<Database>;
type ActorNamed = Actor & { displayName: string };

/** 底数上图入库成果包 (stock_packages, stock_package_items, stock_package_steps, stock_package_files): the only code that reads or writes them. */
export function createStockPackagesRepository(db: DatabaseClient) {
  const one = async (executor: Executor, id: number) => (await sql<PackageRow>`
    SELECT ${PACKAGE_COLUMNS}, d.parent_code AS "districtParent" FROM stock_packages s JOIN districts d ON d.code = s.district_code ${PACKAGE_COUNTS}
    WHERE s.id = ${id}`.execute(executor)).rows[0];

  const step = (transaction: Transaction<Database>, packageId: number, from: string | null, to: string, reason: string | null, actor: ActorNamed) => sql`
    INSERT INTO stock_package_steps (package_id, from_status, to_status, reason, actor, actor_name)
    VALUES (${packageId}, ${from}, ${to}, ${reason}, ${actor.name}, ${actor.displayName})`.execute(transaction);

  return {
    find: (id: number) => one(db, id),

    async list(query: StockPackageListQuery, scope: Scope): Promise<PackageRow[]> {
      const district = query.district ?? null;
      const { rows } = await sql<PackageRow>`
        SELECT ${PACKAGE_COLUMNS}, d.parent_code AS "districtParent" FROM stock_packages s JOIN districts d ON d.code = s.district_code ${PACKAGE_COUNTS}
        WHERE ${scope.sqlCovers('s.district_code')}
          AND (${district}::text IS NULL OR s.district_code = ${district} OR d.parent_code = ${district})
          AND (${query.status ?? null}::text IS NULL OR s.status = ${query.status ?? null})
        ORDER BY s.district_code, s.version DESC`.execute(db);
      return rows;
    },

    async steps(id: number) {
      const { rows } = await sql<{ from: string | null; to: string; reason: string | null; actor: string; actorName: string; at: Date }>`
        SELECT from_status AS "from", to_status AS "to", reason, actor, actor_name AS "actorName", at FROM stock_package_steps WHERE package_id = ${id} ORDER BY id`.execute(db);
      return rows;
    },

    async district(code: string): Promise<{ code: string; name: string; level: string } | undefined> {
      return (await sql<{ code: string; name: string; level: string }>`SELECT code, name, level FROM districts WHERE code = ${code}`.execute(db)).rows[0];
    },

    /**
     * Assembles a new package of the district (its next version, following its latest one) and takes
     * its snapshot; refused while the district has a package on its side (编制中 … 区政府已同意).
     */
    async create(districtCode: string, title: string, actor: ActorNamed): Promise<CreateOutcome> {
      return writeAs(db, actor, async (transaction) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`stock_packages:${districtCode}`}))`.execute(transaction);
        const { rows: [open] } = await sql<{ id: number; status: string; version: number }>`
          SELECT id::int AS id, status, version FROM stock_packages WHERE district_code = ${districtCode} AND status IN ('draft', 'reported', 'consented')`.execute(transaction);
        if (open) return { ok: false as const, openId: open.id, openStatus: open.status, openVersion: open.version };
        const { rows: [latest] } = await sql<{ id: number | null; version: number }>`
          SELECT max(id)::int AS id, coalesce(max(version), 0)::int AS version FROM stock_packages WHERE district_code = ${districtCode}`.execute(transaction);
        const version = latest.version + 1;
        const { rows: [created] } = await sql<{ id: number }>`
          INSERT INTO stock_packages (district_code, version, as_of, title, previous_id, assembled_by, created_by, updated_by)
          VALUES (${districtCode}, ${version}, ${chinaToday()}, ${title.replace('{version}', String(version))}, ${latest.id}, ${actor.name}, ${actor.name}, ${actor.name})
          RETURNING id::int AS id`.execute(transaction);
        await snapshotSql(created.id, districtCode).execute(transaction);
        await step(transaction, created.id, null, 'draft', '汇集两库一清单', actor);
        return { ok: true as const, id: created.id };
      });
    },

    /** Takes the snapshot of a 编制中 package again (its date becomes today). */
    async reassemble(id: number, actor: ActorNamed): Promise<StepOutcome> {
      return writeAs(db, actor, async (transaction) => {
        const { rows: [row] } = await sql<{ status: string; district: string }>`
          SELECT status, district_code AS district FROM stock_packages WHERE id = ${id} FOR UPDATE`.execute(transaction);
        if (row.status !== 'draft') return { ok: false as const, status: row.status };
        await sql`DELETE FROM stock_package_items WHERE package_id = ${id}`.execute(transaction);
        await snapshotSql(id, row.district).execute(transaction);
        await sql`UPDATE stock_packages SET as_of = ${chinaToday()}, assembled_at = now(), assembled_by = ${actor.name}, updated_by = ${actor.name} WHERE id = ${id}`.execute(transaction);
        await step(transaction, id, 'draft', 'draft', '重新汇集两库一清单', actor);
        return { ok: true as const };
      });
    },

    /**
     * Moves a package from `from` to `to` (if it is still at `from`), recording the step; with the
     * consent (文号, date, document) or the review's remarks where the step carries them.
     */
    async transition(id: number, from: string, to: string, reason: string | null, actor: ActorNamed, extra: { consent?: ConsentFacts; remarks?: string } = {}): Promise<StepOutcome> {
      return writeAs(db, actor, async (transaction) => {
        const consent = extra.consent;
        const { rows: [moved] } = await sql<{ id: number }>`
          UPDATE stock_packages SET status = ${to}, status_at = now(), updated_by = ${actor.name},
            consent_document_no = coalesce(${consent?.documentNo ?? null}, consent_document_no),
            consent_date = coalesce(${consent?.date ?? null}::date, consent_date),
            consent_note = coalesce(${consent?.note ?? null}, consent_note),
            consent_file_name = coalesce(${consent?.fileName ?? null}, consent_file_name),
            consent_media_type = coalesce(${consent?.mediaType ?? null}, consent_media_type),
            consent_byte_size = coalesce(${consent?.content.length ?? null}::bigint, consent_byte_size),
            consent_sha256 = coalesce(${consent?.sha256 ?? null}, consent_sha256),
            review_remarks = coalesce(${extra.remarks ?? null}, review_remarks)
          WHERE id = ${id} AND status = ${from} RETURNING id::int AS id`.execute(transaction);
        if (!moved) {
          const { rows: [current] } = await sql<{ status: string }>`SELECT status FROM stock_packages WHERE id = ${id}`.execute(transaction);
          return { ok: false as const, status: current.status };
        }
        if (consent) await sql`INSERT INTO stock_package_files (package_id, content) VALUES (${id}, ${consent.content})`.execute(transaction);
        await step(transaction, id, from, to, reason, actor);
        return { ok: true as const };
      });
    },

    async consentFile(id: number): Promise<Buffer | undefined> {
      return (await sql<{ content: Buffer }>`SELECT content FROM stock_package_files WHERE package_id = ${id}`.execute(db)).rows[0]?.content;
    },

    /** Counts and ellipsoidal areas of the snapshot, by category, state, period and department. */
    async summary(id: number) {
      const [byCategory, byParcelStatus, byLegacyStatus, byPeriod, byProblemStatus, byDepartment, overdue] = await Promise.all([
        groupSql(id, 'parcel', 'land_category').execute(db), groupSql(id, 'parcel', 'status').execute(db),
        groupSql(id, 'legacy', 'status').execute(db), groupSql(id, 'legacy', 'period').execute(db),
        groupSql(id, 'problem', 'status').execute(db), groupSql(id, 'problem', 'department').execute(db), overdueSql(id).execute(db),
      ]);
      return {
        byCategory: byCategory.rows, byParcelStatus: byParcelStatus.rows, byLegacyStatus: byLegacyStatus.rows, byPeriod: byPeriod.rows,
        byProblemStatus: byProblemStatus.rows, byDepartment: byDepartment.rows, overdue: overdue.rows[0].overdue,
      };
    },

    async items(id: number, kind: string, limit: number, offset: number) {
      const [{ rows }, { rows: [total] }] = await Promise.all([
        itemsSql(id, kind, limit, offset).execute(db),
        sql<{ total: number }>`SELECT count(*)::int AS total FROM stock_package_items WHERE package_id = ${id} AND kind = ${kind}`.execute(db),
      ]);
      return { items: rows, total: total.total };
    },

    async compare(fromId: number, toId: number, limit: number) {
      const [{ rows }, { rows: counts }] = await Promise.all([comparisonSql(fromId, toId, limit).execute(db), comparisonCountsSql(fromId, toId).execute(db)]);
      return { rows, counts, total: rows[0]?.total ?? 0 };
    },
  };
}

export type StockPackagesRepository = ReturnType<typeof createStockPackagesRepository>;

declare module 'fastify' {
  interface FastifyInstance {
    stockPackagesRepository: StockPackagesRepository;
  }
}

export const stockPackagesRepositoryPlugin = fp(async (app: AppInstance) => {
  app.decorate('stockPackagesRepository', createStockPackagesRepository(app.db));
}, { name: 'stock-packages-repository', dependencies: ['database'] });
