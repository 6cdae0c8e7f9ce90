// A bundle carries the digest of the harness bundled with it (dist/harness.sha256), and an
// adapter refuses a bundle made with another harness: a release set up before the harness
// changed would otherwise be measured with the old one, its results that harness's.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { spawnSync } = require('node:child_process')

const LIB = path.join(__dirname, '..')
const digest = crypto.createHash('sha256').update(fs.readFileSync(path.join(LIB, 'harness.js'))).digest('hex')

// Asks distDir for the build of `taro` (or the pinned one) of a project in DIR, in a process of
// its own (it exits when it refuses): { status, stdout, stderr }.
function distDir(dir, taro) {
  const script = `process.stdout.write(require(${JSON.stringify(path.join(LIB, 'versions.js'))}).distDir(${JSON.stringify(dir)}))`
  const env = { ...process.env }
  delete env.TARO_CONFORMANCE_TARO
  if (taro) env.TARO_CONFORMANCE_TARO = taro
  return spawnSync(process.execPath, ['-e', script], { cwd: dir, env, encoding: 'utf8' })
}

function project(t, stamps) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'stamp-test-')))
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
  for (const [where, stamp] of Object.entries(stamps)) {
    fs.mkdirSync(path.join(dir, where), { recursive: true })
    fs.writeFileSync(path.join(dir, where, 'taro.js'), '// a bundle\n')
    if (stamp !== null) fs.writeFileSync(path.join(dir, where, 'harness.sha256'), stamp + '\n')
  }
  return dir
}

test('a build made with the harness as it is now is used, pinned or of another version', (t) => {
  const dir = project(t, { dist: digest, 'versions/3.6.40/dist': digest })
  const pinned = distDir(dir)
  assert.strictEqual(pinned.status, 0, pinned.stderr)
  assert.strictEqual(pinned.stdout, path.join(dir, 'dist'))
  const other = distDir(dir, '3.6.40')
  assert.strictEqual(other.status, 0, other.stderr)
  assert.strictEqual(other.stdout, path.join(dir, 'versions', '3.6.40', 'dist'))
})

for (const [what, stamp] of [['another harness', 'f'.repeat(64)], ['no stamp (made before stamps)', null]]) {
  test(`a version's build with ${what} is refused in one line that says how to set it up again`, (t) => {
    const dir = project(t, { dist: digest, 'versions/1.0.3/dist': stamp })
    const refused = distDir(dir, '1.0.3')
    assert.strictEqual(refused.status, 1)
    assert.strictEqual(refused.stdout, '')
    assert.strictEqual(
      refused.stderr,
      'versions/1.0.3/dist was bundled with another adapters/lib/harness.js: set it up again (`taro-conformance setup ADAPTER --taro 1.0.3`)\n',
    )
  })
}

test('a pinned build with another harness is refused too', (t) => {
  const dir = project(t, { dist: 'f'.repeat(64) })
  const refused = distDir(dir)
  assert.strictEqual(refused.status, 1)
  assert.match(refused.stderr, /^dist was bundled with another adapters\/lib\/harness\.js: set it up again \(`taro-conformance setup ADAPTER`\)\n$/)
})
