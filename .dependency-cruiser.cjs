/**
 * The layers of the code base and the one direction between them, checked by `npm run check`
 * (`depcruise`). From the bottom up:
 *
 *   api/src/domain            pure math and rules (no framework, no database, no I/O)
 *   api/src/{config,database,common}   the shared kernel's plumbing: config schema, DataSource options, migrations,
 *                             the embedded server, error shape
 *   etl/src                   readers and loaders over the kernel (used by the CLI, the API's import and by the demo
 *                             seeding)
 *   api/src/<feature>         the API's rooms (facts, rounds, scenarios, impact, quotes, monitoring, rule-sets, …)
 *   web/src                   the browser app: its own files and the domain only
 *
 * Each rule says why it exists; a violation fails the build.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle means two files cannot be understood, tested or moved apart; break it by moving what both need into ' +
        'the lower of the two (usually the domain).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'The domain runs unchanged in the API, in the browser and in the PDF renderer, and is tested on hand-computed ' +
        'cases: it imports only itself and zod (validation of rule sets and round parameters), never a framework, a ' +
        'database driver, Node I/O or another layer.',
      from: { path: '^api/src/domain/', pathNot: '\\.(test|spec)\\.ts$|\\.test-support\\.ts$' },
      to: {
        pathNot: ['^api/src/domain/', '^node_modules/zod/'],
      },
    },
    {
      name: 'domain-tests-stay-pure',
      severity: 'error',
      comment: 'Domain tests need no database or app either: the domain itself, zod, fast-check and vitest.',
      from: { path: '^api/src/domain/.*\\.(test|spec)\\.ts$|^api/src/domain/.*\\.test-support\\.ts$' },
      to: { pathNot: ['^api/src/domain/', '^node_modules/(zod|fast-check|vitest|@vitest|highs)/'] },
    },
    {
      name: 'kernel-below-features',
      severity: 'error',
      comment:
        'Config, database (DataSource options, migrations, embedded server) and the common error shape are the ' +
        'kernel under both the etl and the API features: they import no feature, no etl and no web code.',
      from: { path: '^api/src/(config|database|common)/' },
      to: { path: ['^api/src/(?!domain/|config/|database/|common/)', '^etl/', '^web/'] },
    },
    {
      name: 'migrations-are-frozen',
      severity: 'error',
      comment:
        'A migration is history: it carries its own data, so editing a preset or a reference list in the domain never ' +
        'rewrites what an earlier migration did (a later change is a new migration).',
      from: { path: '^api/src/database/migrations/' },
      to: { path: '^api/src/domain/' },
    },
    {
      name: 'etl-imports-no-api-feature',
      severity: 'error',
      comment:
        'The etl is a library of loaders over the kernel; the API uses it (imports, uploads, demo seeding), never the ' +
        'other way round.',
      from: { path: '^etl/' },
      to: { path: ['^api/src/(?!domain/|config/|database/|common/)', '^web/'] },
    },
    {
      name: 'web-imports-domain-only',
      severity: 'error',
      comment:
        'The browser bundle must not pull in Nest, TypeORM, pg or the loaders: outside its own files it imports only ' +
        'the pure domain (and npm packages), plus types from the API schemas (next rule).',
      from: { path: '^web/' },
      to: { path: ['^api/src/(?!domain/)', '^etl/', '^data/', '^test/'], pathNot: '^api/src/[^/]+/[^/]+\\.schemas\\.ts$' },
    },
    {
      name: 'web-takes-only-types-from-api-schemas',
      severity: 'error',
      comment:
        'The web app types its API calls with the API\'s own request and response schemas instead of copies, but only ' +
        'as `import type`: nothing of the API (not even zod schemas) is bundled into the browser.',
      from: { path: '^web/' },
      to: { path: '^api/src/[^/]+/[^/]+\\.schemas\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'chart-builders-are-pure',
      severity: 'error',
      comment:
        'Chart option builders run in the browser and in the PDF renderer (server-side SVG): they import no page, no ' +
        'component and no Vue, only the domain, other builders and echarts types.',
      from: { path: '^web/src/charts/.*/buildOption\\.ts$' },
      to: { path: ['^web/src/(pages|components|views|stores|router|api)/', '\\.vue$', '^node_modules/vue/'] },
    },
    {
      name: 'api-imports-no-web-code',
      severity: 'error',
      comment:
        'The API and the etl never import the browser app; the one exception is the next rule (the briefing drawing its ' +
        'charts and amounts with the web app\'s own pure builders and formatter).',
      from: { path: '^(api|etl)/', pathNot: '^api/src/briefing/' },
      to: { path: '^web/' },
    },
    {
      name: 'briefing-takes-only-pure-web-files',
      severity: 'error',
      comment:
        'The PDF briefing renders its charts on the server from the same option builders as the web pages (ECharts SSR ' +
        'SVG) and writes amounts with the same formatter (web/src/format.ts), so a figure reads the same on the page and ' +
        'in the PDF. Only those pure files, nothing else of the web app (pages, components, Vue).',
      from: { path: '^api/src/briefing/' },
      to: { path: '^web/', pathNot: '^web/src/(charts/[^/]+/buildOption\\.ts|format\\.ts)$' },
    },
    {
      name: 'server-run-web-files-use-relative-imports',
      severity: 'error',
      comment:
        'The builders and the formatter the server runs are compiled by tsc for Node, which does not rewrite the web ' +
        'app\'s @domain alias: they import the domain and each other by relative path, and nothing but the domain, other ' +
        'builders and echarts types.',
      from: { path: '^web/src/(charts/[^/]+/buildOption\\.ts|format\\.ts)$' },
      to: { dependencyTypes: ['aliased', 'aliased-tsconfig', 'aliased-tsconfig-paths'] },
    },
    {
      name: 'features-do-not-reach-into-tests',
      severity: 'error',
      comment: 'Product code never imports test support, benchmarks or the demo generator.',
      from: { path: '^(api|etl|web)/', pathNot: '\\.(test|spec)\\.ts$' },
      to: { path: ['^test/', '^data/generator/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|build|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.vue', '.json'],
    },
  },
};
