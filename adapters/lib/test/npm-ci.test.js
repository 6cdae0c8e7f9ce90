// npm-ci.js installs once per lockfile: a second setup of an adapter sharing the folder keeps the
// tree, and a changed lockfile (or an install that never finished) installs afresh.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const SCRIPT = path.join(__dirname, '..', 'npm-ci.js')

// A package with no dependencies: `npm ci` installs it without the network.
function project(t, version = '1.0.0') {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'npm-ci-test-')))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  writeLock(dir, version)
  return dir
}

function writeLock(dir, version) {
  const manifest = { name: 'npm-ci-test', version, private: true }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest))
  const lock = { name: 'npm-ci-test', version, lockfileVersion: 3, requires: true, packages: { '': manifest } }
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock))
}

function run(dir) {
  return spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' })
}

// `npm ci` empties node_modules first, so a file left there tells whether it ran.
function leaveMarker(dir) {
  fs.writeFileSync(path.join(dir, 'node_modules', 'marker'), '')
}
const markerKept = (dir) => fs.existsSync(path.join(dir, 'node_modules', 'marker'))

test('installs, then skips while the lockfile is the one installed from', (t) => {
  const dir = project(t)
  const first = run(dir)
  assert.strictEqual(first.status, 0, first.stderr)
  assert.doesNotMatch(first.stdout, /skipped/)
  leaveMarker(dir)
  const second = run(dir)
  assert.strictEqual(second.status, 0, second.stderr)
  assert.match(second.stdout, /node_modules already installed from this package-lock\.json; npm ci skipped/)
  assert.ok(markerKept(dir), 'the second run reinstalled')
})

test('a changed lockfile installs afresh', (t) => {
  const dir = project(t)
  assert.strictEqual(run(dir).status, 0)
  leaveMarker(dir)
  writeLock(dir, '1.0.1')
  const again = run(dir)
  assert.strictEqual(again.status, 0, again.stderr)
  assert.doesNotMatch(again.stdout, /skipped/)
  assert.ok(!markerKept(dir), 'a changed lockfile was not installed')
  leaveMarker(dir)
  assert.match(run(dir).stdout, /skipped/)
})

test('a node_modules this script did not finish installing is installed afresh', (t) => {
  const dir = project(t)
  fs.mkdirSync(path.join(dir, 'node_modules'))
  leaveMarker(dir)
  const result = run(dir)
  assert.strictEqual(result.status, 0, result.stderr)
  assert.ok(!markerKept(dir), 'an unstamped node_modules was trusted')
})

test('a folder without a lockfile is refused, naming it', (t) => {
  const dir = project(t)
  fs.rmSync(path.join(dir, 'package-lock.json'))
  const result = run(dir)
  assert.strictEqual(result.status, 1)
  assert.match(result.stderr, /package-lock\.json: cannot read it \(ENOENT\); npm ci needs a committed lockfile/)
})
