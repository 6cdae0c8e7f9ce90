// The test command Stryker runs once unmutated and then once per mutant, in its sandbox (the
// working directory), which holds the instrumented copy of the request module: every mutant is
// compiled in, and the line before the bundle picks the live one. Bundles that copy in the
// published module's place with the adapter's own build.js, as taro-rn@mutant, and runs the
// whole suite on it against taro-rn's baseline (../../lib/mutation.js).
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { LABEL, banner, runMutant } = require('../../lib/mutation')
const { bundle } = require('../build')

const adapterDir = path.join(__dirname, '..')

runMutant('taro-rn', () => bundle(adapterDir, {
  outDir: path.join(adapterDir, 'versions', LABEL, 'dist'),
  requestSource: fs.readFileSync(path.join(process.cwd(), 'taro-rn-request', 'index.js'), 'utf8'),
  banner: banner(),
}))
