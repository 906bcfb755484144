import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  { ignores: ['.next/**', '.data/**', 'node_modules/**', 'drizzle/**', 'test-results/**', 'playwright-report/**', '.test-output/**', 'next-env.d.ts'] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Stripe.js stand-in: plain browser JavaScript served as-is by the sandbox, written without classes.
    files: ['sandbox/**/browser/assets/**/*.js'],
    rules: { '@typescript-eslint/no-this-alias': 'off', '@next/next/no-location-assign-relative-destination': 'off' },
  },
  {
    // The app reaches provider SDKs only through lib/payments, and the sandbox only through configuration.
    files: ['app/**', 'components/**', 'lib/**', 'db/**'],
    ignores: ['lib/payments/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'stripe', message: 'Import provider SDKs only in lib/payments/.' }],
          patterns: [{ group: ['**/sandbox/**', '@/sandbox/**'], message: 'The app reaches the sandbox only through configuration (a base URL).' }],
        },
      ],
    },
  },
];

export default config;
