/**
 * Problems found in a file, each tied to its place: `file:row:column: 中文说明 (English gloss)`.
 * The collector keeps the first `limit` for the report and counts all of them.
 *
 * Warnings have the same shape but are kept apart: something in a row was filled in or assumed, the row still loads.
 * They are listed in the load report and never reject a row nor make the load fail.
 */
export interface Issue {
  file: string;
  row: number | null;
  column: string | null;
  zh: string;
  en: string;
}

export function formatIssue(i: Issue): string {
  const place = [i.file, i.row ?? '', i.column ?? ''].join(':').replace(/:+$/, '');
  return `${place}: ${i.zh} (${i.en})`;
}

export class IssueCollector {
  readonly items: Issue[] = [];
  total = 0;
  /** row numbers that carry at least one issue */
  readonly badRows = new Set<number>();
  /** rows with a problem counted but not listed whose row numbers are not known (they are not in badRows) */
  unlistedRows = 0;

  /** rows refused: those of badRows and the unlisted ones */
  get rejectedRows(): number {
    return this.badRows.size + this.unlistedRows;
  }

  constructor(
    readonly file: string,
    readonly limit = 200,
  ) {}

  add(row: number | null, column: string | null, zh: string, en: string): void {
    this.total++;
    if (row !== null) this.badRows.add(row);
    if (this.items.length < this.limit) this.items.push({ file: this.file, row, column, zh, en });
  }

  /** true once a problem of the whole file was reported: such a load never commits, even with --skip-invalid. */
  hasFatal = false;

  /** A problem that makes the whole file unusable: of the file (no row), or found at a row (a row that is not text). */
  fatal(zh: string, en: string, row: number | null = null, column: string | null = null): void {
    this.hasFatal = true;
    this.add(row, column, zh, en);
  }

  get count(): number {
    return this.total;
  }

  /** The first `limit` warnings, and how many there were. */
  readonly warnings: Issue[] = [];
  warningCount = 0;

  /** A warning: the row loads, the report says what was filled in or assumed. */
  warn(row: number | null, column: string | null, zh: string, en: string): void {
    this.warningCount++;
    if (this.warnings.length < this.limit) this.warnings.push({ file: this.file, row, column, zh, en });
  }

  /** Forgets every problem and warning (a load that turns out not to be needed). */
  clear(): void {
    this.items.length = 0;
    this.total = 0;
    this.badRows.clear();
    this.unlistedRows = 0;
    this.hasFatal = false;
    this.warnings.length = 0;
    this.warningCount = 0;
  }
}

/** Raised to stop a load whose file as a whole cannot be used (nothing to report row by row). */
export class LoadAbort extends Error {
  constructor(readonly issue: Issue) {
    super(formatIssue(issue));
  }
}
