/**
 * Every action code the audit trail writes, as `<entity>.<verb>`, in the order the 审计日志 page offers them as a
 * filter. Kept in the domain (plain data) so that the API's schemas and the web app read the one list.
 */
export const AUDIT_ACTIONS = [
  'round.create', 'round.update', 'round.status', 'round.allocate',
  'scenario.create', 'scenario.changes.put', 'scenario.changes.patch', 'scenario.import', 'scenario.scale', 'scenario.index',
  'scenario.optimise', 'scenario.quotes', 'scenario.restore',
  'quote.submit', 'quote.select',
  'rule_set.create',
  'load.create', 'load.replace', 'load.remove',
  'user.create', 'user.update', 'user.password.change', 'user.password.reset',
] as const;

/** The kinds of object the trail records changes of. */
export const AUDIT_ENTITIES = ['round', 'scenario', 'quote', 'rule_set', 'load_batch', 'user'] as const;
