/**
 * SQL of backup and restore: which tables a backup covers, and each table's row count and
 * checksum, computed the same way on the source (in the snapshot pg_dump reads) and on the restored
 * database.
 */

/**
 * Session settings that fix how values print (time zone, dates, floats, bytea), so a row's text is
 * the same on the source and on the restored copy.
 */
export const STABLE_TEXT_SETTINGS = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';
SET extra_float_digits = 1; SET bytea_output = 'hex'`;

/**
 * Every ordinary table the product's data lives in: leaf tables only (a partitioned table's rows are
 * its partitions'), no catalogs, no tables owned by an extension (PostGIS's spatial_ref_sys comes with
 * the extension), no temporary tables.
 */
export const BACKED_UP_TABLES = `
SELECT format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'r' AND c.relpersistence <> 't'
   AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
   AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname`;

/**
 * Row count and an order-independent checksum of one table: the sum of the first 64 bits of each
 * row's md5 (of its text form). No sort and constant memory, so large survey tables cost one scan;
 * any changed, missing or added row changes it.
 */
export function tableChecksumSql(quotedName: string): string {
  return `SELECT count(*)::bigint::text AS rows,
       coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint::numeric), 0)::text AS checksum
  FROM ${quotedName} t`;
}

/** A database with tables of its own (not an extension's): one a restore must not overwrite unasked. */
export const HAS_TABLES = `SELECT EXISTS (${BACKED_UP_TABLES}) AS has_tables`;

/** Creates the application's role where missing and the login may (as migration 0002 does). */
export const ENSURE_APP_ROLE = `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    CREATE ROLE biaotu_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'cannot create role biaotu_app here; its grants in the backup will fail';
END $$`;
