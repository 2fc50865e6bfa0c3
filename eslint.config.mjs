import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'build/**', 'web/dist/**', 'data/demo/**', 'coverage/**', '.pgdata/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through api/src/config (loadConfig)' }],
    },
  },
  {
    // Domain math stays pure: no framework, no database, no clock.
    files: ['api/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'node:fs', 'fs', '../*/!(domain)*'] }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain functions take time as input' }],
    },
  },
  {
    files: ['api/src/config/**/*.ts', 'test/**/*.ts', 'scripts/**', 'vitest.config.mts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
