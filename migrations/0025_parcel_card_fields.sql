-- The whole 一宗一卡 (issue 15 item 1): what the contract and the 投资发展协议 agreed (seed 003 附件1
-- 土地使用要求), what is (土地使用情况: 竣工时间, 投资额, conformity notes), 四至 (seed 000 五(一)),
-- 土地取得时间, 固定资产投资总额 and the yearly 产值/税收 of seed 003 附件4. Field list:
-- domain/parcel-fields.ts; cross-field rules (date order…): domain/parcel-card-validation.ts.
ALTER TABLE parcels
  ADD COLUMN park_side                    text CHECK (park_side IN ('inside', 'outside')),
  ADD COLUMN land_acquired_at             date,
  ADD COLUMN boundary_east                text,
  ADD COLUMN boundary_south               text,
  ADD COLUMN boundary_west                text,
  ADD COLUMN boundary_north               text,
  ADD COLUMN agreed_floor_area_ratio      numeric(6, 2) CHECK (agreed_floor_area_ratio >= 0),
  ADD COLUMN agreed_building_density      numeric(5, 4) CHECK (agreed_building_density BETWEEN 0 AND 1),
  ADD COLUMN agreed_completion_date       date,
  ADD COLUMN investment_agreement_no      text,
  ADD COLUMN agreed_investment_intensity  numeric(12, 2) CHECK (agreed_investment_intensity >= 0),
  ADD COLUMN completion_date              date,
  ADD COLUMN invested_amount              numeric(14, 2) CHECK (invested_amount >= 0),
  ADD COLUMN safety_note                  text,
  ADD COLUMN environment_note             text,
  ADD COLUMN energy_note                  text,
  ADD COLUMN fixed_asset_investment       numeric(14, 2) CHECK (fixed_asset_investment >= 0);

COMMENT ON COLUMN parcels.park_side IS '园区内 (inside) / 园区外 (outside): who surveys it (园区办 or 镇政府/街道办, seed 003 二.1)';
COMMENT ON COLUMN parcels.land_acquired_at IS '土地取得时间';
COMMENT ON COLUMN parcels.boundary_east IS '四至: 东至';
COMMENT ON COLUMN parcels.boundary_south IS '四至: 南至';
COMMENT ON COLUMN parcels.boundary_west IS '四至: 西至';
COMMENT ON COLUMN parcels.boundary_north IS '四至: 北至';
COMMENT ON COLUMN parcels.agreed_floor_area_ratio IS '约定容积率 (土地出让合同/投资发展协议)';
COMMENT ON COLUMN parcels.agreed_building_density IS '约定建筑密度, fraction 0–1';
COMMENT ON COLUMN parcels.agreed_completion_date IS '约定竣工时间';
COMMENT ON COLUMN parcels.investment_agreement_no IS '投资发展协议号';
COMMENT ON COLUMN parcels.agreed_investment_intensity IS '约定投资强度, 万元/亩';
COMMENT ON COLUMN parcels.completion_date IS '竣工时间';
COMMENT ON COLUMN parcels.invested_amount IS '投资强度 as 附件1 writes it: 已投资额, 万元 (investment_intensity is 万元/亩)';
COMMENT ON COLUMN parcels.safety_note IS '安全生产: note on the conformity (meets_safety)';
COMMENT ON COLUMN parcels.environment_note IS '环保: note on the conformity (meets_environment)';
COMMENT ON COLUMN parcels.energy_note IS '能耗: note on the conformity (meets_energy)';
COMMENT ON COLUMN parcels.fixed_asset_investment IS '固定资产投资总额, 万元 (seed 003 附件4)';
COMMENT ON COLUMN parcels.building_coverage IS '建筑系数, fraction 0–1 (土地使用情况)';
COMMENT ON COLUMN parcels.contract_no IS '土地出让合同号';

-- 产值 and 税收 per year (seed 003 附件4: 近三年平均产值/税收), one row per parcel and year; every
-- change is on history (entity parcel_yearly_figures, entity_id = the parcel's id).
CREATE TABLE parcel_yearly_figures (
  parcel_id   bigint NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
  year        integer NOT NULL CHECK (year BETWEEN 1949 AND 2100),
  output_wan  numeric(14, 2) CHECK (output_wan >= 0),
  tax_wan     numeric(14, 2) CHECK (tax_wan >= 0),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL DEFAULT 'system',
  PRIMARY KEY (parcel_id, year)
);
COMMENT ON TABLE parcel_yearly_figures IS '年度产值、税收 per parcel (seed 003 附件4), 万元';
COMMENT ON COLUMN parcel_yearly_figures.output_wan IS '年度产值, 万元';
COMMENT ON COLUMN parcel_yearly_figures.tax_wan IS '年度税收, 万元';
CREATE TRIGGER parcel_yearly_figures_history AFTER INSERT OR UPDATE OR DELETE ON parcel_yearly_figures
  FOR EACH ROW EXECUTE FUNCTION record_history('parcel_id');

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'biaotu_app') THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON parcel_yearly_figures TO biaotu_app;
  END IF;
END;
$$;
