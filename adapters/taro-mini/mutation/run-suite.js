// The test command Stryker runs once unmutated and then once per mutant, in its sandbox (the
// working directory), which holds the instrumented copies: every mutant is compiled in, and the
// line before the bundle picks the live one. Bundles those copies in the published files' place
// with the adapter's own build.js, as taro-NAME@mutant, and runs the whole suite on it against
// taro-NAME's baseline (../../lib/mutation.js).
'use strict'
const path = require('node:path')
const { LABEL, substitutes, banner, runMutant } = require('../../lib/mutation')
const { build } = require('../build')
const { target, copyOf } = require('./targets')

const { name, files } = target()
const root = path.join(__dirname, '..', 'packages', name)
const published = Object.fromEntries(Object.keys(files).map((file) => [path.join(root, 'node_modules', file), copyOf(file)]))

runMutant(`taro-${name}`, () => build(name, root, {
  outDir: path.join(root, 'versions', LABEL, 'dist'),
  plugins: [substitutes(published)],
  banner: banner(),
}))
