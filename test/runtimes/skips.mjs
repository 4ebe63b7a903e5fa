// The explicit list of tests that cannot run on a runtime, each with its upstream reason. Nothing is
// skipped silently: the harness prints every skip with its reason, counts it in uvu's "Skipped", and fails
// the run if an entry matches no test (so the list never goes stale after a rename).
//
// Entry shapes (`runtime`: 'deno' | 'bun' | 'chromium'):
//   { runtime, suite, test, reason }  one test (uvu suite name + test name, exactly as in the file)
//   { runtime, suite, reason }        every test of a suite
//   { runtime, file, reason }         a whole file is left out of that runtime's bundle: only when the
//                                     module cannot even be loaded there (its tests are then not counted)
/** @type {{ runtime: 'deno' | 'bun' | 'chromium', file?: string, suite?: string, test?: string, reason: string }[]} */
export const skips = [];
