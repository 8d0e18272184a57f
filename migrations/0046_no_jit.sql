-- PostgreSQL's JIT compiler is on by default and starts compiling once a statement's estimated
-- cost passes 100 000. Statements inside the parcels' triggers are estimated far above what they do:
-- `parcel_z14_cuts` walks two generate_series the planner guesses at 1 000 rows each, so a one-parcel
-- geometry edit was planned at a million rows and spent about 1.9 s compiling (inlining 0.9 s,
-- optimisation 0.6 s) to insert one row (seen with auto_explain: 23 ms without JIT). The product's
-- statements are short (edits, tiles, pages of a table) or set-based over staging tables where the
-- compile time is not won back, so JIT is off for the database. Sessions opened after this take it.
-- Where the migrating role may not alter the database, the server keeps working, only slower, and
-- says so.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'jit: % 无权修改数据库设置，请由数据库所有者执行 ALTER DATABASE % SET jit = off / cannot turn JIT off; ask the database owner to', current_user, current_database();
END
$$;

-- An edit's trigger empties parcel_type_cells of cells left with no parcel; like parcel_cells
-- (parcel_cells_empty_idx), it finds them by index instead of reading the whole table.
CREATE INDEX parcel_type_cells_empty_idx ON parcel_type_cells (level) WHERE parcels <= 0;
