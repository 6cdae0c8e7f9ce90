// versions.js setting up a local build (TARO_CONFORMANCE_TARO_SOURCE) that is data, not trusted:
// a package name that climbs out of node_modules, a symbolic link in what would be copied and a
// version that is not one line are refused before anything is removed, a scoped package never
// lands in the pinned project, and tarballs' extraction folders are removed however it ends.
// A set-up is all or nothing (a refused or failed one leaves no set-up of its label, not even an
// earlier one), a package its bundle holds twice fails it, and a build's name hashes every
// package taken from DIR and borrows git's commit (+dirty) only from a Taro checkout's packages.
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
const SHARED = '@tarojs/shared'

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
  write(path.join(proj, 'node_modules', SHARED, 'package.json'), manifest(SHARED))
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
    // What bundle.js reads from esbuild's metafile: every @tarojs package the build finds, each
    // where node would resolve it from the root (BUNDLE_TWICE: the plain one twice, as a
    // package linked from the pinned project resolving its own copy).
    const modules = path.join(root, 'node_modules')
    const names = fs.readdirSync(path.join(modules, '@tarojs')).map((n) => '@tarojs/' + n)
    if (process.env.BUNDLE_TWICE) names.push('plain')
    const packages = names.map((name) => ({ name, dir: path.relative(root, fs.realpathSync(path.join(modules, name))) }))
    if (process.env.BUNDLE_TWICE) packages.push({ name: 'plain', dir: path.relative(root, path.join(__dirname, 'node_modules', 'plain')) })
    fs.writeFileSync(path.join(root, 'dist', 'packages.json'), JSON.stringify({
      needs: [${JSON.stringify(PKG)}],
      packages: packages.map((p) => ({ ...p, version: JSON.parse(fs.readFileSync(path.join(root, p.dir, 'package.json'), 'utf8')).version, files: 1, importedBy: ['the entry'] })),
    }))
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

// A set-up that was refused with a message naming `file` and `bad`, and left the victim, no
// extraction folder, and no set-up of the label: all or nothing, so its earlier set-up is gone
// too (running the label then says it is not set up, rather than running an older build).
function refused(w, result, file, bad) {
  untouched(w.victim)
  assert.strictEqual(result.status, 1, `exit ${result.status}\n${result.stdout}\n${result.stderr}`)
  assert.ok(result.stderr.includes(file), `names ${file}: ${result.stderr}`)
  assert.ok(result.stderr.includes(bad), `names ${bad}: ${result.stderr}`)
  assert.deepStrictEqual(fs.readdirSync(path.dirname(w.root())), [], 'no set-up of the label, not even a partial one')
  assert.deepStrictEqual(fs.readdirSync(w.tmp), [], 'no extraction folder left')
}

// An earlier set-up of the label, which a refused one removes.
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

// The name a set-up gave its build: what follows the version and label in its last line.
const buildName = (result) => {
  assert.strictEqual(result.status, 0, result.stderr)
  return result.stdout.match(/set up \S+: \S+ \S+ \((.*)\) from /)[1]
}

// git in a folder, as a user with a name (a fresh machine has none configured).
const git = (cwd, ...args) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-C', cwd, ...args], { encoding: 'utf8' })

// A Taro checkout after its build at `dir`: packages/taro-h5 and packages/shared, committed.
function checkout(dir) {
  write(path.join(dir, 'packages', 'taro-h5', 'package.json'), manifest(PKG))
  write(path.join(dir, 'packages', 'shared', 'package.json'), manifest(SHARED))
  write(path.join(dir, 'packages', 'shared', 'index.js'), 'one')
  git(dir, 'init', '-q')
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'build')
  return git(dir, 'rev-parse', '--short=12', 'HEAD').trim()
}

test('the build name hashes every package taken from DIR, not only the package under test', (t) => {
  const w = world(t)
  const names = ['one', 'two', 'one'].map((text, i) => {
    const set = path.join(w.top, `set${i}`)
    w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
    w.tarball(set, 'shared', { 'package.json': manifest(SHARED), 'index.js': text })
    return buildName(w.setUp(set))
  })
  assert.match(names[0], /^sha256:[0-9a-f]{12}$/)
  assert.notStrictEqual(names[0], names[1], 'another @tarojs/shared is another build')
  assert.strictEqual(names[0], names[2], 'the same files are the same build')
  // The bundle's sources are printed: each package, from DIR or pinned.
  const pinnedOnly = path.join(w.top, 'pinned-only')
  w.tarball(pinnedOnly, 'taro-h5', { 'package.json': manifest(PKG) })
  const result = w.setUp(pinnedOnly)
  assert.strictEqual(result.status, 0, result.stderr)
  assert.match(result.stdout, /@tarojs\/shared 4\.2\.1 +pinned /)
  assert.match(result.stdout, /@tarojs\/taro-h5 4\.2\.1 +from DIR +\S*taro-h5\.tgz\n/)
})

test('a Taro checkout at its top level is named by its commit, +dirty with changes not committed', (t) => {
  const w = world(t)
  const taro = path.join(w.top, 'taro')
  const commit = checkout(taro)
  const clean = buildName(w.setUp(taro))
  assert.match(clean, new RegExp(`^git ${commit}, sha256:[0-9a-f]{12}$`))
  // One of its packages is named by the commit too.
  assert.match(buildName(w.setUp(path.join(taro, 'packages', 'taro-h5'))), new RegExp(`^git ${commit}, sha256:`))
  write(path.join(taro, 'packages', 'shared', 'index.js'), 'changed')
  const dirty = buildName(w.setUp(taro))
  assert.match(dirty, new RegExp(`^git ${commit}\\+dirty, sha256:[0-9a-f]{12}$`))
  assert.notStrictEqual(dirty.split(', ')[1], clean.split(', ')[1], 'the hash says which dirty build')
  // An untracked file is a change too.
  git(taro, 'checkout', '-q', '--', '.')
  write(path.join(taro, 'packages', 'shared', 'new.js'), 'new')
  assert.match(buildName(w.setUp(taro)), /\+dirty, /)
})

test('a build inside an unrelated repository never borrows its commit', (t) => {
  const w = world(t)
  const repo = path.join(w.top, 'app')
  write(path.join(repo, 'README'), 'an app')
  git(repo, 'init', '-q')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'app')
  write(path.join(repo, 'untracked.txt'), 'dirty')
  // Packed tarballs in it, and a package folder that is not one of its packages/.
  const set = path.join(repo, 'packed')
  w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
  assert.match(buildName(w.setUp(set)), /^sha256:[0-9a-f]{12}$/)
  const folder = path.join(repo, 'vendor', 'taro-h5')
  write(path.join(folder, 'package.json'), manifest(PKG))
  assert.match(buildName(w.setUp(folder)), /^sha256:[0-9a-f]{12}$/)
  // Tarballs at a checkout's top level are hashed too: a tarball is no commit's tree.
  const taro = path.join(w.top, 'taro')
  checkout(taro)
  fs.rmSync(path.join(taro, 'packages'), { recursive: true })
  w.tarball(taro, 'taro-h5', { 'package.json': manifest(PKG) })
  assert.match(buildName(w.setUp(taro)), /^sha256:[0-9a-f]{12}$/)
})

test('a package the bundle holds twice fails the set-up, naming both copies, and leaves no set-up', (t) => {
  const w = world(t)
  earlier(w)
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
  w.tarball(set, 'plain', { 'package.json': manifest('plain', '2.0.0') })
  const result = w.setUp(set, 'lbl', { BUNDLE_TWICE: '1' })
  assert.strictEqual(result.status, 1, result.stdout)
  assert.match(result.stderr, /plain is in the bundle twice: 2\.0\.0 from DIR \(\S*plain\.tgz, imported by the entry\) and 1\.0\.0 pinned \(\S*node_modules\/plain, imported by the entry\)/)
  assert.deepStrictEqual(fs.readdirSync(path.dirname(w.root())), [], 'no set-up of the label')
  assert.deepStrictEqual(fs.readdirSync(w.tmp), [])
})

test('a build that fails leaves no set-up of its label', (t) => {
  const w = world(t)
  earlier(w)
  const set = path.join(w.top, 'set')
  w.tarball(set, 'taro-h5', { 'package.json': manifest(PKG) })
  const result = w.setUp(set, 'lbl', { FAIL_BUILD: '1' })
  assert.strictEqual(result.status, 1, result.stderr)
  assert.deepStrictEqual(fs.readdirSync(path.dirname(w.root())), [])
})

test('a folder with no package in it is refused, and leaves no set-up', (t) => {
  const w = world(t)
  earlier(w)
  const empty = path.join(w.top, 'empty')
  fs.mkdirSync(empty)
  refused(w, w.setUp(empty), empty, 'no package in')
})
