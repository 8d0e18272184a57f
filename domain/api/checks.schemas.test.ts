import { describe, expectTypeOf, it } from 'vitest';
import type { CheckResult as RuleCodeResult, Rule as RuleCodeRule } from '../rules/rules.js';
import type { AreaInUnits } from '../units.js';
import type { CheckAnswer, CheckResult } from './checks.schemas.js';
import type { Rule } from './rules.schemas.js';

/** Type-level: the few shapes written both as a domain type and in the contract stay the same shape. */
describe('contract and domain types', () => {
  it('the answer\'s area is the domain\'s AreaInUnits', () => {
    expectTypeOf<CheckAnswer['area']>().toEqualTypeOf<AreaInUnits>();
  });

  it('the rule code works on the contract\'s Rule and answers its CheckResult', () => {
    expectTypeOf<RuleCodeRule>().toEqualTypeOf<Rule>();
    expectTypeOf<RuleCodeResult>().toEqualTypeOf<CheckResult>();
  });

  it('figures are read by name', () => {
    expectTypeOf<CheckAnswer['figures']['anything']>().toEqualTypeOf<number | null>();
  });
});
