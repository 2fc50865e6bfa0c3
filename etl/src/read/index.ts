export { InvalidTextError, ReadError, formatReadErrorMessage, notUtf8Problem } from './types';
export type { HeaderColumn, ReadProblem, SourceRow, SourceTable } from './types';
export { normalizeHeader, matchColumns } from './header';
export type { ColumnSpec, ColumnMatch } from './header';
export { detectEncoding } from './detect';
export type { TextEncoding } from './detect';
export { openTable, detectFormat } from './open';
export type { OpenOptions } from './open';
export { HEADER_SCAN_ROWS } from './layout';
