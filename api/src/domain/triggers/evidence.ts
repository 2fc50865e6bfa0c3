/**
 * The shapes of trigger evidence: what evaluate.ts computes for each rule and what sentences.ts words for the
 * briefing. Types only.
 */
import type { AdjustmentKind, Comparison, ReleaseType, RuleRole } from './schema';

/**
 * Unit of an evaluated expression. Catalogue units ('%', '元', '亿元', '月', '是/否', '万人', '分' …) plus
 * 'pp' (percentage points: a difference of two rates) and '' (no common unit).
 */
export type DisplayUnit = string;

export interface OtherRelease {
  releaseType: ReleaseType;
  value: number;
  source: string;
}

/** One indicator value a rule used. `value` is in the catalogue unit `unit`. */
export interface EvidenceInput {
  indicator: string;
  nameZh: string;
  period: string;
  value: number;
  unit: string;
  source: string;
  releaseType: ReleaseType;
  isGenerated: boolean;
  /** Other releases of the same indicator and period that were not used. */
  otherReleases: OtherRelease[];
}

export interface MissingRef {
  indicator: string;
  period: string;
}

export type RuleOutcome = 'met' | 'not_met' | 'insufficient_data';

export interface Evidence {
  ruleId: string;
  role: RuleRole;
  label: string;
  /** The expression with its periods, e.g. "2024年 医药总费用增长率". */
  expressionText: string;
  inputs: EvidenceInput[];
  /** Value compared with the threshold (a run: 1 when it held, 0 when not); null when data is missing. */
  value: number | null;
  /** Unit of value and threshold ('%', 'pp' = percentage points, '亿元', '月', '是/否', '' …). */
  unit: DisplayUnit;
  comparison: Comparison;
  threshold: number;
  outcome: RuleOutcome;
  sentenceZh: string;
  missing: MissingRef[];
  /** How values were chosen or computed (release chosen, growth from levels, sub-annual data ignored …). */
  notes: string[];
}

export type TriggerStatus = 'triggered' | 'blocked' | 'not_started' | 'insufficient_data';
export type StartCombination = 'met' | 'not_met' | 'unknown';

export interface TriggerResult {
  status: TriggerStatus;
  summaryZh: string;
  /** The start combination: true, false, or null when missing data leaves it open. */
  startMet: boolean | null;
  /** Ids of the constraints that block upward adjustment (empty for a special adjustment). */
  blockedBy: string[];
  /** Ids of all met constraints, including those a special adjustment is exempt from. */
  constraintsMet: string[];
  missing: MissingRef[];
  rules: Evidence[];
  /** False when the evaluation cycle says this is not an evaluation year. */
  due: boolean;
  /** Things worth knowing that do not change the result (validity period, region, cycle not checked). */
  warnings: string[];
  regionCode: string;
  year: number;
  kind: AdjustmentKind;
  ruleSet: { name: string; regionCode: string; version: number };
}

/** A run of years (连续 n 年) as evaluated. */
export interface RunInfo {
  name: string;
  unit: DisplayUnit;
  years: { year: number; value: number | null }[];
  held: boolean | null;
  comparison: Comparison;
  threshold: number;
  n: number;
}

/** An evaluated expression with everything its sentence needs (internal to evaluate.ts and sentences.ts). */
export interface Ev {
  value: number | null;
  unit: DisplayUnit;
  /** With periods, spaced: "2024年 医药总费用增长率". */
  text: string;
  /** Without periods: "医药总费用增长率". */
  name: string;
  inputs: EvidenceInput[];
  missing: MissingRef[];
  /** The gaps in words: "2024年GDP增长率". */
  missingZh: string[];
  notes: string[];
  /** Short phrases on how the value was obtained, for the sentence. */
  method: string[];
  parts?: [Ev, Ev];
  run?: RunInfo;
}
