// Mutation testing of a published Taro module with Stryker, the conformance suite as the test: the
// pieces every adapter's mutation/ project shares (docs/mutants.md). A project copies the
// published files into itself (Stryker mutates only its own files: `copyPublished`), and its test
// command (`runMutant`) re-bundles them with the adapter's own build, the live mutant switched on
// by a line before the bundle, then runs `taro-conformance run --adapter ADAPTER@mutant` judged by
// the adapter's baseline: a mutant is caught when some case ends differently from the published
// module's run (its status or its fingerprint). `node mutation.js survivors` prints the score and
// the survivors from Stryker's JSON report (reports/ADAPTER.json).
//
// No dependencies: Stryker is each project's own.
'use strict'
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const REPO = path.join(__dirname, '..', '..')
// The build label a mutant is bundled as: `ADAPTER@mutant`, in the project's versions/mutant/.
const LABEL = 'mutant'

// Copies each published file (absolute) to its place in the Stryker project (relative to `dir`),
// same name and lines, so that a survivor's line is the published file's line.
function copyPublished(dir, copies) {
  for (const [source, copy] of copies) {
    const to = path.join(dir, copy)
    fs.mkdirSync(path.dirname(to), { recursive: true })
    fs.copyFileSync(source, to)
    console.log(`mutating ${path.relative(REPO, source)}`)
  }
}

// An esbuild plugin that bundles the text of files from the Stryker sandbox (the working
// directory, where every mutant is compiled in) in place of published modules:
// { publishedPath (absolute): copy (relative to the sandbox) }. Imports resolve from the
// published module's own directory.
function substitutes(files) {
  const contents = new Map(Object.entries(files).map(([published, copy]) =>
    [fs.realpathSync(published), fs.readFileSync(path.join(process.cwd(), copy), 'utf8')]))
  return {
    name: 'mutated-sources',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, (args) =>
        contents.has(args.path) ? { contents: contents.get(args.path), loader: 'js', resolveDir: path.dirname(args.path) } : undefined)
    },
  }
}

// The line put before the bundle that switches on the mutant Stryker names: the bundle runs in a
// window or a vm context, where the `process.env` Stryker's code reads does not exist.
function banner() {
  const active = process.env.__STRYKER_ACTIVE_MUTANT__
  return active === undefined ? undefined : `globalThis.__stryker__ = { activeMutant: ${JSON.stringify(active)} };`
}

// The harness binary: TARO_CONFORMANCE_BIN, else the release build, else the debug one.
function binary() {
  if (process.env.TARO_CONFORMANCE_BIN) return process.env.TARO_CONFORMANCE_BIN
  const release = path.join(REPO, 'target', 'release', 'taro-conformance')
  return fs.existsSync(release) ? release : path.join(REPO, 'target', 'debug', 'taro-conformance')
}

// The cases the gate found something about, appended to the project's
// reports/ADAPTER.kills.jsonl as { mutant, cases }: a mutant caught only by a case that measures
// time can be told from one a case's data caught, and run again when the machine was loaded.
function recordKill(adapter, stdout) {
  const cases = [...stdout.matchAll(/^ +(?:unexpected \w+|status changed|still failing, but differently): (\S+)/gm)].map((m) => m[1])
  const mutant = process.env.__STRYKER_ACTIVE_MUTANT__
  if (mutant === undefined || cases.length === 0) return
  const file = path.join(path.dirname(require.main.filename), 'reports', `${adapter}.kills.jsonl`)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.appendFileSync(file, JSON.stringify({ mutant, cases }) + '\n')
}

// Stryker's test command: `build()` bundles the mutated files as ADAPTER@mutant, then the whole
// suite runs on it against the adapter's baseline. The exit status is the gate's: 0 when every
// case ends as the published module's run does.
function runMutant(adapter, build) {
  Promise.resolve().then(build).then(() => {
    const log = path.join(os.tmpdir(), `${adapter}-mutant-${process.pid}.jsonl`)
    const run = spawnSync(binary(), [
      'run', '--adapter', `${adapter}@${LABEL}`,
      '--baseline', path.join(REPO, 'reports', 'baselines', `${adapter}.yaml`),
      '--jobs', '8', '--log', log,
    ], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 })
    fs.rmSync(log, { force: true })
    if (run.error) throw run.error
    process.stdout.write(run.stdout)
    recordKill(adapter, run.stdout)
    process.exitCode = run.status === null ? 1 : run.status
  }).catch((error) => {
    console.error(error)
    process.exitCode = 2
  })
}

// Stryker's configuration for a project whose test command is the file `suite`, on `adapter`:
// `mutate` names the copies (with line ranges where only part of a file is the request's).
function strykerConfig({ suite, adapter, mutate }) {
  return {
    testRunner: 'command',
    commandRunner: { command: `node "${suite}"` },
    mutate,
    // The command runner cannot tell which case covers which mutant: every mutant runs the suite.
    coverageAnalysis: 'off',
    // One suite at a time: each already runs its cases concurrently, and the timing cases keep
    // their windows on a 2-core machine.
    concurrency: 1,
    // A mutant that hangs a call is caught by the case's own deadline well before this.
    timeoutMS: 60000,
    reporters: ['clear-text', 'progress', 'json', 'html'],
    jsonReporter: { fileName: `reports/${adapter}.json` },
    htmlReporter: { fileName: `reports/${adapter}.html` },
    tempDirName: '.stryker-tmp',
    cleanTempDir: true,
  }
}

// The score and the survivors of a Stryker JSON report: { counts, detected, viable, rows }, each
// row { file, line, mutator, original, replacement }.
function survivorsOf(report) {
  const counts = {}
  const rows = []
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n')
    for (const mutant of mutants) {
      counts[mutant.status] = (counts[mutant.status] || 0) + 1
      if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue
      const { start, end } = mutant.location
      const original = start.line === end.line
        ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
        : `${lines[start.line - 1].slice(start.column - 1)} …`
      rows.push({ file, line: start.line, mutator: mutant.mutatorName, original, replacement: mutant.replacement || '' })
    }
  }
  rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
  // Stryker's own definition: killed and timed-out mutants count as detected; compile and
  // runtime errors are not viable and are left out.
  const detected = (counts.Killed || 0) + (counts.Timeout || 0)
  const viable = detected + (counts.Survived || 0) + (counts.NoCoverage || 0)
  return { counts, detected, viable, rows }
}

// A table cell of code: one line, at most 70 characters, pipes escaped.
const cell = (text) => '`' + text.replace(/\s+/g, ' ').trim().slice(0, 70).replace(/\|/g, '\\|') + '`'

// Prints the score and the survivors of reports/ADAPTER.json (under `dir`) as the markdown table
// docs/mutants-platforms.md keeps.
function printSurvivors(dir, adapter) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports', `${adapter}.json`), 'utf8'))
  const { counts, detected, viable, rows } = survivorsOf(report)
  console.log(`\n${JSON.stringify(counts)}`)
  console.log(`detected ${detected} of ${viable} viable mutants: ${(100 * detected / viable).toFixed(1)} %\n`)
  console.log('| file | line | mutator | original | mutant |')
  console.log('|---|---|---|---|---|')
  for (const r of rows) console.log(`| ${r.file} | ${r.line} | ${r.mutator} | ${cell(r.original)} | ${cell(r.replacement)} |`)
}

module.exports = { LABEL, copyPublished, substitutes, banner, runMutant, strykerConfig, survivorsOf, cell, printSurvivors }

if (require.main === module) {
  if (process.argv[2] !== 'survivors' || !process.argv[3]) {
    console.error('usage: node mutation.js survivors ADAPTER   (in a mutation project, after `stryker run`)')
    process.exit(2)
  }
  printSurvivors(process.cwd(), process.argv[3])
}
