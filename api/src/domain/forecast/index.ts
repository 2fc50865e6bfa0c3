/**
 * Forecast of a scenario under volume response: the assumptions and their defaults, the volume trend from the loaded
 * history, and the band (static figure, exact range, seeded Monte Carlo percentiles) with its checks.
 */
export * from './assumptions';
export * from './band';
export * from './trend';
export { SeededRandom } from './random';
export * from './sentences';
