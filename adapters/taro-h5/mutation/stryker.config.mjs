// Stryker's configuration: the published request module of @tarojs/taro-h5, mutated, with the
// conformance suite on taro-h5-jsdom as the test (run-suite.js). See docs/mutants.md.
import { fileURLToPath } from 'node:url'

const suite = fileURLToPath(new URL('./run-suite.js', import.meta.url))

export default {
  testRunner: 'command',
  commandRunner: { command: `node "${suite}"` },
  mutate: ['taro-h5-request/index.js'],
  // The command runner cannot tell which case covers which mutant: every mutant runs the suite.
  coverageAnalysis: 'off',
  // One suite at a time: each already runs its cases concurrently, and the timing cases keep
  // their windows on a 2-core machine.
  concurrency: 1,
  // Cases that wait for a deliberately slow server take seconds; a mutant that hangs a call is
  // caught by the case's own deadline well before this.
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
}
