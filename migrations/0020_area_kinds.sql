-- Rules bind the kind of area their text names (issue 13, item 2). An area says what it is
-- (新型产业用地项目再开发, 一般工改工, 其他: domain/redevelopment-areas.ts AREA_KINDS); areas saved
-- before kinds existed were checked as 新型产业用地 projects (every rule of their set applied), so
-- they keep that reading (DEFAULT_AREA_KIND).
ALTER TABLE areas ADD COLUMN kind text NOT NULL DEFAULT 'new_industrial'
  CHECK (kind IN ('new_industrial', 'industrial', 'other'));
COMMENT ON COLUMN areas.kind IS '区域类型: new_industrial 新型产业用地项目再开发, industrial 一般工改工, other 其他; rules bind only the kinds in their appliesTo';
ALTER TABLE area_versions ADD COLUMN kind text NOT NULL DEFAULT 'new_industrial';
COMMENT ON COLUMN area_versions.kind IS '区域类型 of this version (areas.kind)';

-- The shipped rule sets say which kinds and which scope their rules have (fixtures/rule-sets.json):
-- seed 001's limits bind only "按照新型产业用地项目再开发的情形" (第三条) and are per 项目/宗地, and
-- the 厂房 share is over 项目总建筑面积. A database that loaded them before gets that as a new
-- version of each set (versions are append-only), made by `system`, with its history entry; an
-- administrator's own rules are kept, only the shipped rule ids are annotated.
WITH current AS (
  SELECT DISTINCT ON (id) * FROM rule_sets
  WHERE id IN ('xiamen-new-industrial', 'tianjin-fragments', 'national-industrial')
  ORDER BY id, version DESC
),
revised AS (
  SELECT c.id, c.version, c.city, c.name, c.rules AS before_rules,
         (SELECT jsonb_agg(
                   CASE WHEN r->>'measure' <> 'contiguity' AND NOT (r ? 'perProject') THEN r || '{"perProject": true}' ELSE r END
                   || CASE WHEN c.id = 'xiamen-new-industrial' AND r->>'id' IN ('supporting-land', 'supporting-floor', 'far', 'factory-floor') AND NOT (r ? 'appliesTo')
                           THEN jsonb_build_object('appliesTo', jsonb_build_object('kinds', jsonb_build_array('new_industrial'), 'source', jsonb_build_object(
                             'document', '《厦门市新型产业用地试点实施办法（征求意见稿）》', 'article', '第三条',
                             'text', '本办法适用于项目已按规定完成低效工业用地认定报备，按照新型产业用地项目再开发的情形')))
                           ELSE '{}'::jsonb END
                   || CASE WHEN r->>'measure' = 'factory_floor_share' AND r->>'denominator' = '项目总建筑面积'
                           THEN '{"denominator": "项目总建筑面积（宗地内全部建筑面积，不是总计容建筑面积）"}'::jsonb ELSE '{}'::jsonb END
                   ORDER BY n)
          FROM jsonb_array_elements(c.rules) WITH ORDINALITY AS e(r, n)) AS rules
  FROM current c
),
inserted AS (
  INSERT INTO rule_sets (id, version, city, name, rules, note, created_by)
  SELECT id, version + 1, city, name, rules,
         CASE WHEN id = 'xiamen-new-industrial'
              THEN '第三条：第七至九条的限值只约束新型产业用地项目再开发；限值按项目/宗地核算；工业厂房占比的分母为项目总建筑面积（迁移 0020）'
              ELSE '限值按项目核算（迁移 0020）' END,
         'system'
  FROM revised WHERE rules IS DISTINCT FROM before_rules
  RETURNING *
)
INSERT INTO history (entity, entity_id, action, actor, before, after)
SELECT 'rule_sets', i.id, 'update', 'system', jsonb_build_object('version', i.version - 1, 'rules', r.before_rules), jsonb_build_object('version', i.version, 'rules', i.rules, 'note', i.note)
FROM inserted i JOIN revised r ON r.id = i.id;
