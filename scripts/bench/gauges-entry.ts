/** What bench:gauges loads into Chromium: the client's live-figure code and the shared rule code. */
export { computeLiveFigures, LiveFiguresCache } from '../../client/src/redevelopment-areas/live-figures.js';
export { evaluateRuleSet } from '../../domain/rules/rules.js';
