// What happens when a runtime is not installed: never a silent skip. Locally the step prints a loud
// banner and reports one skipped test; in CI (CI=true) it fails.
export function runtimeMissing(runtime, detail) {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n!! ${runtime.toUpperCase()} IS MISSING: ${detail}\n!! ${ci
    ? 'CI=true, so this is a failure.'
    : 'Its tests did NOT run. This fails in CI (CI=true).'}\n${bar}\n`);
  // The summary scripts/test.mjs parses: nothing ran, one (the whole runtime) skipped.
  console.log(`\n  Total:     0\n  Passed:    0\n  Skipped:   1\n`);
  process.exit(ci ? 1 : 0);
}
