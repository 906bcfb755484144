// `npm test`: every suite, then one closing line `N passed, N failed`.
//   1. Vitest: unit and integration tests on the embedded database (PGlite).
//   2. Vitest: the integration tests again on PostgreSQL, when TEST_DATABASE_URL is set.
//   3. The production build, then Playwright end-to-end tests in Chromium (on PGlite, and on
//      PostgreSQL too when TEST_DATABASE_URL is set).
// Set SKIP_E2E=1 to run only the first two.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const out = '.test-output';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };

function run(label, cmd, args, env = baseEnv) {
  console.log(`\n== ${label}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (result.status !== 0) problems.push(`${label} exited with ${result.status ?? result.signal}`);
  return result.status === 0;
}

function countVitest(file, label) {
  if (!existsSync(file)) return problems.push(`${label}: no report`);
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}

/**
 * The page as it was when a test failed (Playwright's error context: an outline of the page), printed
 * because CI keeps only this log, not the test-results folder with its trace.
 */
function printErrorContext(spec, result) {
  for (const attachment of result.attachments ?? []) {
    if (attachment.name !== 'error-context' || !attachment.path || !existsSync(attachment.path)) continue;
    const text = readFileSync(attachment.path, 'utf8');
    console.log(`\n== the page when "${spec.title}" failed (${spec.file})\n${text.length > 6000 ? `${text.slice(0, 6000)}\n[…cut]` : text}`);
  }
}

function countPlaywright(file, label) {
  if (!existsSync(file)) return problems.push(`${label}: no report`);
  const { stats, errors = [], suites = [] } = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
  // Errors outside any test (a spec that failed to load, a crashed worker, the web server) and
  // tests that ended neither passed, failed nor skipped (interrupted) make Playwright exit 1 without
  // counting a failure: name them, so the log says what went wrong.
  for (const error of errors) problems.push(`${label}: ${error.message ?? error.value ?? JSON.stringify(error)}`);
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const last = test.results.at(-1);
        if (last && !['passed', 'failed', 'timedOut', 'skipped'].includes(last.status)) {
          problems.push(`${label}: ${spec.file}: "${spec.title}" ended ${last.status}`);
        }
        if (last && (last.status === 'failed' || last.status === 'timedOut')) printErrorContext(spec, last);
      }
    }
    (suite.suites ?? []).forEach(walk);
  };
  suites.forEach(walk);
}

function vitest(label, file, env, extra = []) {
  run(label, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`, ...extra], env);
  countVitest(file, label);
}

const { TEST_DATABASE_URL, ...envWithoutPostgres } = baseEnv;
vitest('unit and integration tests (PGlite)', `${out}/vitest-pglite.json`, envWithoutPostgres);
if (TEST_DATABASE_URL) {
  vitest('integration tests (PostgreSQL)', `${out}/vitest-postgres.json`, baseEnv, ['.int.test.ts']);
} else {
  console.log('\n== integration tests (PostgreSQL): skipped, set TEST_DATABASE_URL=postgres://... to run them');
}

async function freshPostgresDatabase(adminUrl) {
  const { default: postgres } = await import('postgres');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `e2e_${randomBytes(4).toString('hex')}`;
  await sql.unsafe(`create database ${name}`);
  await sql.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

if (!process.env.SKIP_E2E) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    problems.push(`end-to-end tests need Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  } else if (run('production build', 'npx', ['next', 'build'])) {
    const e2e = (label, file, extraEnv, paths = []) => {
      run(label, 'npx', ['playwright', 'test', ...paths], { ...envWithoutPostgres, CI: 'true', PLAYWRIGHT_JSON_OUTPUT_NAME: file, ...extraEnv });
      countPlaywright(file, label);
    };
    e2e('end-to-end tests (PGlite)', `${out}/e2e-pglite.json`, {});
    if (TEST_DATABASE_URL) {
      // The sandbox's own browser tests use no database: the app's run again on PostgreSQL.
      e2e('end-to-end tests of the app (PostgreSQL)', `${out}/e2e-postgres.json`, { E2E_DATABASE_URL: await freshPostgresDatabase(TEST_DATABASE_URL) }, ['e2e/app']);
    }
  }
}

for (const p of problems) console.log(`problem: ${p}`);
const failed = totals.failed + (problems.length > 0 && totals.failed === 0 ? problems.length : 0);
if (totals.skipped) console.log(`\n${totals.skipped} skipped (each says why in its suite's output)`);
// The last line, exactly as CI reads it.
console.log(`\n${totals.passed} passed, ${failed} failed`);
process.exit(problems.length > 0 || totals.failed > 0 ? 1 : 0);
