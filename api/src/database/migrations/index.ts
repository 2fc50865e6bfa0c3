import { InitialSchema1763900000000 } from './1763900000000-initial-schema';
import { ReferenceData1763900000001 } from './1763900000001-reference-data';
import { RuleSetPresets1763900000002 } from './1763900000002-rule-set-presets';
import { VolumeCoverage1763900000003 } from './1763900000003-volume-coverage';
import { DataChangeLog1764000000000 } from './1764000000000-data-change-log';
import { ReimbursementLoads1764100000000 } from './1764100000000-reimbursement-loads';
import { ScenarioChangeByScenario1764200000000 } from './1764200000000-scenario-change-by-scenario';
import { InsurancePolicy1764300000000 } from './1764300000000-insurance-policy';
import { AccessControl1764400000000 } from './1764400000000-access-control';
import { ScenarioVersions1764500000000 } from './1764500000000-scenario-versions';
import { LoadBatchRemoval1764610000000 } from './1764610000000-load-batch-removal';
import { QuoteReason1764630000000 } from './1764630000000-quote-reason';

/** Every migration, in order. Listed explicitly so that source (tests) and build (app, CLI) run the same set. */
export const MIGRATIONS = [
  InitialSchema1763900000000, ReferenceData1763900000001, RuleSetPresets1763900000002, VolumeCoverage1763900000003, DataChangeLog1764000000000,
  ReimbursementLoads1764100000000, ScenarioChangeByScenario1764200000000, InsurancePolicy1764300000000, AccessControl1764400000000,
  ScenarioVersions1764500000000, LoadBatchRemoval1764610000000, QuoteReason1764630000000,
];
