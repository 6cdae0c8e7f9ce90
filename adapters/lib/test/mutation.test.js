// The mutation projects' shared pieces (mutation.js): the score counts what Stryker counts
// (killed and timed out detected, errors not viable), survivors keep the published file's line,
// the live mutant is switched on before the bundle, and a mutated copy is what gets bundled.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const mutation = require('../mutation')

const mutant = (status, line, replacement) => ({
  status,
  mutatorName: 'ConditionalExpression',
  replacement,
  location: { start: { line, column: 5 }, end: { line, column: 9 } },
})

test('the score leaves errors out and keeps each survivor at its line', () => {
  const report = {
    files: {
      'b.js': { source: 'one\ntwo\n    if (a) x()\n', mutants: [mutant('Survived', 3, 'true'), mutant('Killed', 1, 'x')] },
      'a.js': {
        source: 'line1\n    abcdefg\n',
        mutants: [mutant('Timeout', 2, 'y'), mutant('CompileError', 2, 'z'), mutant('RuntimeError', 1, 'w'), mutant('NoCoverage', 2, 'false')],
      },
    },
  }
  const { counts, detected, viable, rows } = mutation.survivorsOf(report)
  assert.deepStrictEqual(counts, { Survived: 1, Killed: 1, Timeout: 1, CompileError: 1, RuntimeError: 1, NoCoverage: 1 })
  assert.strictEqual(detected, 2)
  assert.strictEqual(viable, 4)
  assert.deepStrictEqual(rows.map((r) => [r.file, r.line, r.original, r.replacement]), [
    ['a.js', 2, 'abcd', 'false'],
    ['b.js', 3, 'if (', 'true'],
  ])
})

test('the live mutant is switched on by a line before the bundle, and only when there is one', (t) => {
  const saved = process.env.__STRYKER_ACTIVE_MUTANT__
  t.after(() => {
    if (saved === undefined) delete process.env.__STRYKER_ACTIVE_MUTANT__
    else process.env.__STRYKER_ACTIVE_MUTANT__ = saved
  })
  delete process.env.__STRYKER_ACTIVE_MUTANT__
  assert.strictEqual(mutation.banner(), undefined)
  process.env.__STRYKER_ACTIVE_MUTANT__ = '17'
  const context = {}
  require('node:vm').runInNewContext(mutation.banner(), context)
  assert.deepStrictEqual(JSON.parse(JSON.stringify(context.__stryker__)), { activeMutant: '17' })
})

test('the copy in the working directory is loaded in the published module\'s place', async (t) => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mutation-test-')))
  const cwd = process.cwd()
  t.after(() => {
    process.chdir(cwd)
    fs.rmSync(dir, { recursive: true, force: true })
  })
  const published = path.join(dir, 'node_modules', 'pkg', 'index.js')
  fs.mkdirSync(path.dirname(published), { recursive: true })
  fs.writeFileSync(published, 'export const v = 1\n')
  fs.mkdirSync(path.join(dir, 'copies'))
  fs.writeFileSync(path.join(dir, 'copies', 'index.js'), 'export const v = 2\n')
  process.chdir(dir)
  const plugin = mutation.substitutes({ [published]: 'copies/index.js' })
  const loaders = []
  plugin.setup({ onLoad: (options, callback) => loaders.push(callback) })
  assert.strictEqual(loaders.length, 1)
  const loaded = loaders[0]({ path: published })
  assert.strictEqual(loaded.contents, 'export const v = 2\n')
  assert.strictEqual(loaded.resolveDir, path.dirname(published))
  assert.strictEqual(loaders[0]({ path: path.join(dir, 'other.js') }), undefined)
})
