/**
 * Pricing engine of a price adjustment round: the adjustment total (调价总量), its allocation, scenario impact and
 * checks, scaling to a target, and 通用型 indexation. Money is integer fen throughout; see each module for its
 * rounding rule.
 */
export * from './total';
export * from './allocation';
export * from './impact';
export * from './impact-groups';
export * from './service-share';
export * from './scaling';
export * from './indexation';
export { percentText, fromDecimal, type Ratio } from '../rational';
export * from './fund-share';
export * from './rows';
export * from './price-change';
export * from './compare';
export * from './versions';
export * from './limits';
export * from './change-summary';
export * from './change-list';
