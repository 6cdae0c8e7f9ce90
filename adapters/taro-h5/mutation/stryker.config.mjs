// Stryker's configuration: the published request module of @tarojs/taro-h5, mutated, with the
// conformance suite on one H5 adapter as the test (run-suite.js; MUTATE_ADAPTER picks the
// adapter, adapter.js). See docs/mutants.md.
import { fileURLToPath } from 'node:url'
import target from './adapter.js'

const suite = fileURLToPath(new URL('./run-suite.js', import.meta.url))
const MODULE = 'taro-h5-request/index.js'

// In Chromium a suite takes about 25 s against jsdom's 9, too long for all 212 mutants in one
// sitting on 2 cores: by default that run mutates only the lines where mutants survived the jsdom
// run (docs/mutants.md), which take in `mode` (77) and `cache` (24), the options only a browser
// observes. MUTATE_ALL=1 mutates the whole module there too; with `--incremental` (Stryker's
// option) a later run reuses the results of the mutants an earlier one tested, so the whole
// module can be done in two sittings. Not by default: the one "test" is the whole suite, so
// Stryker cannot tell that a case has changed since the results it reuses.
const JSDOM_SURVIVOR_LINES = ['12-12', '14-16', '17-17', '24-24', '52-54', '64-69', '74-79', '82-92',
  '96-106', '115-121', '134-140', '147-158', '166-169']
const mutate = target.adapter === 'taro-h5-chromium' && process.env.MUTATE_ALL !== '1'
  ? JSDOM_SURVIVOR_LINES.map((lines) => `${MODULE}:${lines}`)
  : [MODULE]

export default {
  testRunner: 'command',
  commandRunner: { command: `node "${suite}"` },
  mutate,
  // The command runner cannot tell which case covers which mutant: every mutant runs the suite.
  coverageAnalysis: 'off',
  // One suite at a time: each already runs its cases concurrently, and the timing cases keep
  // their windows on a 2-core machine.
  concurrency: 1,
  // Cases that wait for a deliberately slow server take seconds; a mutant that hangs a call is
  // caught by the case's own deadline well before this.
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `${target.report}.json` },
  htmlReporter: { fileName: `${target.report}.html` },
  incrementalFile: `reports/stryker-incremental-${target.adapter}.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
