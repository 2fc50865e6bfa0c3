/** What a benchmark module exports; the runner (cli.ts) lists them by name. */
export interface Bench {
  /** one line for the usage text */
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
