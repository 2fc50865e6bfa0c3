/**
 * Price optimiser (DOMAIN.md §7 step 4): a linear program over the proposal, solved by an injected LP solver (HiGHS),
 * rounded to whole fen, explained row by row; infeasible settings get the conflicting constraints.
 */
export * from './model';
export * from './solve';
