// versions.js setting up a local build (TARO_CONFORMANCE_TARO_SOURCE) that is data, not trusted:
// a package name that climbs out of node_modules, a symbolic link in what would be copied and a
// version that is not one line are refused before anything is removed, a scoped package never
// lands in the pinned project, and tarballs' extraction folders are removed however it ends.
// Each test has a project of its own in a new folder (the package under test and a few pinned
// ones, and a build.js that only writes dist/), run as `node versions.js install LABEL`; nothing
// but Node and tar is needed.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync, spawnSync } = require('node:child_process')

const LIB = path.join(__dirname, '..', 'versions.js')
const PKG = '@tarojs/taro-h5'

const write = (file, text) => {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, text)
}
const manifest = (name, version = '4.2.1') => JSON.stringify({ name, version })

// A folder with a project (PROJ) whose pinned packages are installed, a victim folder beside it,
// and a temporary folder of its own (TMP) for the extraction folders.
function world(t) {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'versions-test-')))
  t.after(() => fs.rmSync(top, { recursive: true, force: true }))
  const proj = path.join(top, 'proj')
  write(path.join(proj, 'node_modules', PKG, 'package.json'), manifest(PKG))
  write(path.join(proj, 'node_modules', '@scope', 'dep', 'package.json'), manifest('@scope/dep', '1.0.0'))
  write(path.join(proj, 'node_modules', '@scope', 'dep', 'keep.txt'), 'pinned')
  write(path.join(proj, 'node_modules', '@scope', 'other', 'package.json'), manifest('@scope/other', '1.0.0'))
  write(path.join(proj, 'node_modules', 'plain', 'package.json'), manifest('plain', '1.0.0'))
  write(path.join(proj, 'node_modules', 'plain', 'keep.txt'), 'pinned')
  // The build: dist/ with the bundle and version.json, as bundle.js writes them.
  write(path.join(proj, 'build.js'), `
    const fs = require('node:fs'), path = require('node:path')
    if (process.env.FAIL_BUILD) { console.error('the build failed'); process.exit(1) }
    const root = process.argv[2]
    const { version } = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', ${JSON.stringify(PKG)}, 'package.json'), 'utf8'))
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true })
    fs.writeFileSync(path.join(root, 'dist', 'b.js'), '')
    fs.writeFileSync(path.join(root, 'dist', 'version.json'), JSON.stringify({ taro: version }) + '\\n')
  `)
  write(path.join(proj, 'versions.js'), `
    require(${JSON.stringify(LIB)}).main({
      dir: __dirname, pkg: ${JSON.stringify(PKG)}, siblings: [], bundle: 'b.js',
      build: (root) => [require('node:path').join(__dirname, 'build.js'), root],
    })
  `)
  const victim = path.join(proj, 'victim')
  write(path.join(victim, 'keep.txt'), 'keep')
  const tmp = path.join(top, 'tmp')
  fs.mkdirSync(tmp)
  // A packed package: the folder `files` ({ path: text }, or a function that makes the `package`
  // entry at a path) as the tarball's `package` entry.
  const tarball = (folder, name, files) => {
    const staging = fs.mkdtempSync(path.join(top, 'staging-'))
    const entry = path.join(staging, 'package')
    if (typeof files === 'function') files(entry)
    else for (const [file, text] of Object.entries(files)) write(path.join(entry, file), text)
    fs.mkdirSync(folder, { recursive: true })
    execFileSync('tar', ['-czf', path.join(folder, `${name}.tgz`), '-C', staging, 'package'])
    return entry
  }
  const setUp = (source, label = 'lbl', env = {}) => spawnSync(process.execPath, [path.join(proj, 'versions.js'), 'install', label], {
    encoding: 'utf8',
    env: { ...process.env, TARO_CONFORMANCE_TARO_SOURCE: source, TMPDIR: tmp, ...env },
  })
  return { top, proj, victim, tmp, tarball, setUp, root: (label = 'lbl') => path.join(proj, 'versions', label) }
}

// The victim folder as it was made.
const untouched = (victim) => assert.deepStrictEqual(fs.readdirSync(victim), ['keep.txt'])

// A set-up that was refused with a message naming `file` and `bad`, and left the victim, the
// label's earlier set-up and no extraction folder.
function refused(w, result, file, bad) {
  untouched(w.victim)
  assert.strictEqual(result.status, 1, `exit ${result.status}\n${result.stdout}\n${result.stderr}`)
  assert.ok(result.stderr.includes(file), `names ${file}: ${result.stderr}`)
  assert.ok(result.stderr.includes(bad), `names ${bad}: ${result.stderr}`)
  assert.ok(fs.existsSync(path.join(w.root(), 'marker')), 'the earlier set-up is still there')
  assert.deepStrictEqual(fs.readdirSync(w.tmp), [], 'no extraction folder left')
}

// An earlier set-up of the label, which a refused one must not remove.
const earlier = (w) => write(path.join(w.root(), 'marker'), 'earlier')

test('an honest tarball set is set up, and its extraction folders are removed', (t) => {
  const w = world(t)
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG, '4.2.1-local.0'), 'dist/index.js': 'x' })
  const result = w.setUp(set)
  assert.strictEqual(result.status, 0, result.stderr)
  assert.match(result.stdout, /set up lbl: @tarojs\/taro-h5 4\.2\.1-local\.0\+lbl \(sha256:[0-9a-f]{12}\)/)
  assert.strictEqual(fs.readFileSync(path.join(w.root(), 'node_modules', PKG, 'dist/index.js'), 'utf8'), 'x')
  assert.deepStrictEqual(fs.readdirSync(w.tmp), [])
})

test('a tarball packed with hard links (as npm pack writes linked files) is set up', (t) => {
  const w = world(t)
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', (entry) => {
    write(path.join(entry, 'package.json'), manifest(PKG))
    write(path.join(entry, 'a.js'), 'same')
    fs.linkSync(path.join(entry, 'a.js'), path.join(entry, 'b.js'))
  })
  assert.match(execFileSync('tar', ['-tvzf', path.join(set, 'taro-h5.tgz')], { encoding: 'utf8' }), /^h.* package\/b\.js link to package\/a\.js$/m)
  const result = w.setUp(set)
  assert.strictEqual(result.status, 0, result.stderr)
  assert.strictEqual(fs.readFileSync(path.join(w.root(), 'node_modules', PKG, 'b.js'), 'utf8'), 'same')
})

for (const name of ['../../../victim', '@tarojs/../../../../victim', '@tarojs/../../x', 'Victim', '.hidden', '']) {
  test(`a tarball named ${JSON.stringify(name)} is refused, and nothing is deleted`, (t) => {
    const w = world(t)
    earlier(w)
    const set = path.join(w.top, 'set')
    w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
    w.tarball(set, 'evil', { 'package.json': manifest(name, '1.0.0'), 'evil.txt': 'evil' })
    refused(w, w.setUp(set), path.join(set, 'evil.tgz:package', 'package.json'), JSON.stringify(name))
  })
}

test('a checkout package named out of node_modules is refused, and nothing is deleted', (t) => {
  const w = world(t)
  earlier(w)
  const checkout = path.join(w.top, 'taro')
  write(path.join(checkout, 'packages', 'taro-h5', 'package.json'), manifest(PKG))
  write(path.join(checkout, 'packages', 'evil', 'package.json'), manifest('@tarojs/../../../../victim', '1.0.0'))
  refused(w, w.setUp(checkout), path.join(checkout, 'packages', 'evil', 'package.json'), '"@tarojs/../../../../victim"')
})

test('a scoped or plain package replaces only the version\'s link, never the pinned package', (t) => {
  const w = world(t)
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
  w.tarball(set, 'dep', { 'package.json': manifest('@scope/dep', '2.0.0') })
  w.tarball(set, 'plain', { 'package.json': manifest('plain', '2.0.0') })
  const result = w.setUp(set)
  assert.strictEqual(result.status, 0, result.stderr)
  const pinned = path.join(w.proj, 'node_modules')
  const modules = path.join(w.root(), 'node_modules')
  for (const name of ['@scope/dep', 'plain']) {
    assert.strictEqual(fs.readFileSync(path.join(pinned, name, 'keep.txt'), 'utf8'), 'pinned', `pinned ${name} kept`)
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(pinned, name, 'package.json'), 'utf8')).version, '1.0.0')
    assert.strictEqual(JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version, '2.0.0')
    assert.ok(!fs.lstatSync(path.join(modules, name)).isSymbolicLink(), `${name} copied`)
  }
  // The scope's other packages are still the pinned ones.
  assert.strictEqual(fs.realpathSync(path.join(modules, '@scope', 'other')), path.join(pinned, '@scope', 'other'))
})

test('a tarball whose package entry is a symbolic link is refused', (t) => {
  const w = world(t)
  earlier(w)
  const host = path.join(w.top, 'host')
  write(path.join(host, 'package.json'), manifest(PKG))
  write(path.join(host, 'secret.txt'), 'secret')
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', (entry) => fs.symlinkSync(host, entry))
  refused(w, w.setUp(set), path.join(set, 'taro-h5.tgz'), host)
})

test('a tarball with a symbolic link inside its package is refused', (t) => {
  const w = world(t)
  earlier(w)
  const host = path.join(w.top, 'host')
  write(path.join(host, 'secret.txt'), 'secret')
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', (entry) => {
    write(path.join(entry, 'package.json'), manifest(PKG))
    fs.symlinkSync(host, path.join(entry, 'dist'))
  })
  refused(w, w.setUp(set), path.join(set, 'taro-h5.tgz'), host)
})

test('a package directory that is a symbolic link, or holds one, is refused', (t) => {
  const w = world(t)
  earlier(w)
  const host = path.join(w.top, 'host')
  write(path.join(host, 'package.json'), manifest(PKG))
  const checkout = path.join(w.top, 'taro')
  fs.mkdirSync(path.join(checkout, 'packages'), { recursive: true })
  fs.symlinkSync(host, path.join(checkout, 'packages', 'taro-h5'))
  refused(w, w.setUp(checkout), path.join(checkout, 'packages', 'taro-h5'), host)

  const single = path.join(w.top, 'single')
  write(path.join(single, 'package.json'), manifest(PKG))
  fs.symlinkSync(host, path.join(single, 'dist'))
  refused(w, w.setUp(single), path.join(single, 'dist'), host)
})

for (const version of ['4.2.1\n::warning::set up', '4.2.1 ##[error]x', '4.2.1\u001b[31m', 7]) {
  test(`a version ${JSON.stringify(version)} is refused`, (t) => {
    const w = world(t)
    earlier(w)
    const single = path.join(w.top, 'single')
    write(path.join(single, 'package.json'), JSON.stringify({ name: PKG, version }))
    refused(w, w.setUp(single), path.join(single, 'package.json'), JSON.stringify(version))
  })
}

test('extraction folders are removed when the build fails', (t) => {
  const w = world(t)
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
  const result = w.setUp(set, 'lbl', { FAIL_BUILD: '1' })
  assert.strictEqual(result.status, 1, result.stderr)
  assert.deepStrictEqual(fs.readdirSync(w.tmp), [])
})

test('extraction folders are removed when a tarball unpacks without write permission', (t) => {
  const w = world(t)
  const set = path.join(w.top, 'set')
  const entry = w.tarball(set, 'taro-h5', (entry) => {
    write(path.join(entry, 'package.json'), manifest(PKG))
    write(path.join(entry, 'locked', 'a.js'), 'a')
    fs.chmodSync(path.join(entry, 'locked'), 0o555)
  })
  // The tarball keeps the mode; the staging folder is made removable again.
  fs.chmodSync(path.join(entry, 'locked'), 0o755)
  const result = w.setUp(set)
  assert.strictEqual(result.status, 0, result.stderr)
  assert.deepStrictEqual(fs.readdirSync(w.tmp), [])
})
