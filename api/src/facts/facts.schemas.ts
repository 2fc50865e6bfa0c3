/** Shapes of the facts that leave the room in responses (types only; the web app may import them as types). */

/** An indicator value as read for a computation (the value as exact decimal text). */
export interface IndicatorRow {
  code: string;
  nameZh: string;
  period: string;
  releaseType: string;
  /** numeric, as exact text */
  value: string;
  unit: string;
  source: string;
}
