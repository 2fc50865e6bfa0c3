export const CONFIG = Symbol('CONFIG');
export const LOGGER = Symbol('LOGGER');
export const DATABASE_MODE = Symbol('DATABASE_MODE');
