/**
 * Problems found in a file, each tied to its place: `file:row:column: 中文说明 (English gloss)`.
 * The collector keeps the first `limit` for the report and counts all of them.
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

  /** A problem of the whole file (no row). */
  fatal(zh: string, en: string): void {
    this.hasFatal = true;
    this.add(null, null, zh, en);
  }

  get count(): number {
    return this.total;
  }

  /** Forgets every problem (a load that turns out not to be needed). */
  clear(): void {
    this.items.length = 0;
    this.total = 0;
    this.badRows.clear();
    this.hasFatal = false;
  }
}

/** Raised to stop a load whose file as a whole cannot be used (nothing to report row by row). */
export class LoadAbort extends Error {
  constructor(readonly issue: Issue) {
    super(formatIssue(issue));
  }
}
