// Stryker's configuration: Taro's mini-program request layer on one platform (targets.js; weapp
// unless TARO_MUTATION_PLATFORM says otherwise), mutated, with the conformance suite on
// taro-NAME as the test (run-suite.js). See docs/mutants-platforms.md.
import { fileURLToPath } from 'node:url'
import mutation from '../../lib/mutation.js'
import targets from './targets.js'

const { name, files } = targets.target()
const suite = fileURLToPath(new URL('./run-suite.js', import.meta.url))

export default mutation.strykerConfig({
  suite,
  adapter: `taro-${name}`,
  mutate: Object.entries(files).flatMap(([file, ranges]) =>
    ranges.map(([start, end]) => `${targets.copyOf(file)}:${start}-${end}`)),
})
