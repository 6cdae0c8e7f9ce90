// The test command Stryker runs once unmutated and then once per mutant, in its sandbox (the
// working directory), which holds the instrumented copy of the request module: every mutant is
// compiled in, and `__stryker__.activeMutant` picks the one that is live.
//
// Bundles that copy in the published module's place, as the build `mutant` of the adapter
// MUTATE_ADAPTER names (adapter.js), with the mutant Stryker names (__STRYKER_ACTIVE_MUTANT__)
// switched on by a line before the bundle: the bundle runs in jsdom windows or in a Chromium page
// (which embeds the whole bundle), where the `process.env` Stryker's code reads does not exist.
// Then runs the whole conformance suite on it, judged against that adapter's baseline. The exit
// status is the gate's: 0 when every case ends as the published module's run does, so a mutant
// is killed when some case's status or fingerprint changes.
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { bundle } = require('../build')
const { adapter } = require('./adapter')

const LABEL = 'mutant'
const adapterDir = path.join(__dirname, '..')
const repo = path.join(adapterDir, '..', '..')
const binary = process.env.TARO_CONFORMANCE_BIN || path.join(repo, 'target', 'release', 'taro-conformance')

async function main() {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__
  await bundle(adapterDir, {
    outDir: path.join(adapterDir, 'versions', LABEL, 'dist'),
    requestSource: fs.readFileSync(path.join(process.cwd(), 'taro-h5-request', 'index.js'), 'utf8'),
    banner: active === undefined ? undefined : `window.__stryker__ = { activeMutant: ${JSON.stringify(active)} };`,
  })
  const log = path.join(os.tmpdir(), `taro-h5-mutant-${process.pid}.jsonl`)
  const run = spawnSync(binary, [
    'run', '--adapter', `${adapter}@${LABEL}`,
    '--baseline', path.join(repo, 'reports', 'baselines', `${adapter}.yaml`),
    '--jobs', '8', '--log', log,
  ], { cwd: repo, stdio: 'inherit' })
  fs.rmSync(log, { force: true })
  if (run.error) throw run.error
  process.exitCode = run.status === null ? 1 : run.status
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 2
})
