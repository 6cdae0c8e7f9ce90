// Stryker's configuration: the published request module of @tarojs/taro-rn, mutated, with the
// conformance suite on taro-rn as the test (run-suite.js). See docs/mutants-platforms.md.
import { fileURLToPath } from 'node:url'
import mutation from '../../lib/mutation.js'

export default mutation.strykerConfig({
  suite: fileURLToPath(new URL('./run-suite.js', import.meta.url)),
  adapter: 'taro-rn',
  mutate: ['taro-rn-request/index.js'],
})
