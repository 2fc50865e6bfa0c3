/**
 * Patient burden per insurance layer: the policy, the split of one stay or a year of visits over the layers, the
 * stay-cost distribution and the burden of a scenario per hospital level.
 */
export * from './policy';
export * from './layers';
export * from './distribution';
export * from './burden';
