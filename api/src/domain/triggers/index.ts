/** Trigger evaluation (触发机制): rule-set schema, evaluation with evidence, and the published presets. */
export * from './schema';
export * from './evaluate';
export * from './presets';
export { clean, compare, type DisplayUnit, formatThreshold, formatValue, roundHalfAway } from './format';
export { growthSource, isGrowthRate, isLevel } from './catalogue';
