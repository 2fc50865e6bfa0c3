import type { Kind, Loader } from '../loader';
import { catalogueLoader } from './catalogue';
import { costsLoader } from './costs';
import { guidelineLoader } from './guideline';
import { indicatorsLoader } from './indicators';
import { institutionsLoader } from './institutions';
import { insurancePolicyLoader } from './insurance-policy';
import { mappingLoader } from './mapping';
import { priceTableLoader } from './price-table';
import { reimbursementLoader } from './reimbursement';
import { roundLoader } from './round';
import { volumesLoader } from './volumes';

/** One loader per kind of official file (layouts: etl/README.md). */
export const LOADERS: Record<Kind, Loader> = {
  catalogue: catalogueLoader as Loader,
  institutions: institutionsLoader as unknown as Loader,
  'price-table': priceTableLoader as unknown as Loader,
  guideline: guidelineLoader as Loader,
  mapping: mappingLoader as Loader,
  costs: costsLoader as Loader,
  volumes: volumesLoader as Loader,
  indicators: indicatorsLoader as Loader,
  round: roundLoader as Loader,
  reimbursement: reimbursementLoader as Loader,
  'insurance-policy': insurancePolicyLoader as Loader,
};
