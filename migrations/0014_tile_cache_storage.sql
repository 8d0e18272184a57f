-- Cached tiles are gzipped already: TOAST's own compression (pglz) only burns CPU trying. Measured
-- by bench:tiles, storing tiles was ~7 % of PostgreSQL's CPU on a cold run before this.
ALTER TABLE tile_cache ALTER COLUMN body SET STORAGE EXTERNAL;
