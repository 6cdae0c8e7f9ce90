// Sets up another build of a Taro package beside an adapter's pinned one, in versions/LABEL/ of
// the adapter's npm project (its own node_modules; the pinned project is not touched), and
// bundles it there with the project's build.js (`node build.js ROOT`):
//   node versions.js install VERSION
//     a published release (and the @tarojs siblings the project names, at that version where
//     published) from the registry; a version already set up is not installed again; with
//     TARO_CONFORMANCE_PRUNE set, its node_modules is removed once the bundle is built;
//   TARO_CONFORMANCE_TARO_SOURCE=DIR node versions.js install LABEL
//     a local build, with no network: the pinned project's packages, with those of DIR over
//     them. DIR is a package directory, a Taro checkout after its build (its packages/*), or
//     a directory of packed tarballs (*.tgz). Set up afresh each time. Its packages are data
//     until the bundle runs: names, versions and links are checked before anything is removed.
//     It prints where each @tarojs package of the bundle came from, and fails when the bundle
//     holds one twice or leaves one of DIR's out; all or nothing, and named by what it holds.
// Run by `taro-conformance setup NAME --taro VERSION|DIR` through the project's versions.js;
// the adapters then run it when the runner names it in TARO_CONFORMANCE_TARO.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { harnessIsCurrent } = require('./bundle')

// Whether the registry has this version of a package.
function published(name, version) {
  try {
    return execFileSync('npm', ['view', `${name}@${version}`, 'version'], { encoding: 'utf8' }).trim() === version
  } catch {
    return false
  }
}

// What the registry says of a package version's field (JSON), or null.
function view(spec, field) {
  const out = execFileSync('npm', ['view', spec, field, '--json'], { encoding: 'utf8' }).trim()
  return out ? JSON.parse(out) : null
}

// The empty package the pinned projects alias unused dependencies to.
const EMPTY = 'npm:tslib@2.8.1'

// How a project bundles the package installed under ROOT into ROOT/dist: its build.js, unless
// it says otherwise.
const buildCommand = (project, root) => (project.build ? project.build(root) : [path.join(project.dir, 'build.js'), root])

function install(project, version) {
  const { dir, pkg, siblings, bundle, fixed = {} } = project
  if (!/^\d[0-9A-Za-z.+-]*$/.test(version)) throw new Error(`not a version: ${version}`)
  const root = path.join(dir, 'versions', version)
  if (fs.existsSync(path.join(root, 'dist', bundle))) {
    if (harnessIsCurrent(path.join(root, 'dist'))) {
      console.log(`${pkg} ${version} is set up already in ${path.relative(process.cwd(), root)}`)
      return
    }
    // Bundled with an older harness: its results would be that harness's, so set up afresh.
    console.log(`${pkg} ${version} was bundled with another harness: setting it up again`)
    fs.rmSync(root, { recursive: true, force: true })
  }
  if (!published(pkg, version)) throw new Error('the registry has no such version')
  fs.mkdirSync(root, { recursive: true })
  // Its @tarojs siblings at the same version, where that version of them was published (the
  // request module imports them; some are peers, which npm would leave out here).
  const pinned = siblings.filter((name) => published(name, version))
  // The pinned project's aliases for packages the request never imports: every version gets the
  // same, so its install stays small.
  const { overrides } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  // The package's build-time and native-module dependencies, which the request's bundle never
  // imports, are replaced by an empty package too (the bundle built is byte for byte the one a
  // full install gives: see the README), so that hundreds of releases install in minutes.
  const stubbed = project.stub ? Object.keys(view(`${pkg}@${version}`, 'dependencies') || {}).filter(project.stub) : []
  const manifest = {
    name: `taro-conformance-${version}`,
    private: true,
    dependencies: { ...fixed, ...Object.fromEntries([pkg, ...pinned].map((name) => [name, version])) },
    overrides: { ...overrides, ...Object.fromEntries(stubbed.map((name) => [name, EMPTY])) },
  }
  // An alias the pinned release can do without may be a module this release imports: the build
  // names it, and it is installed after all.
  for (let attempt = 1; ; attempt++) {
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
    // No lockfile: an older release resolves its own dependency ranges, as an app installing it
    // then did (near enough). Peers and install scripts are left out: the bundle needs neither.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps', '--ignore-scripts'], {
      cwd: root,
      stdio: 'inherit',
    })
    try {
      execFileSync(process.execPath, buildCommand(project, root), { stdio: ['ignore', 'inherit', 'pipe'] })
      break
    } catch (error) {
      const said = String(error.stderr || '')
      process.stderr.write(said)
      const needed = [...said.matchAll(/Could not resolve "((?:@[^/"]+\/)?[^/"]+)/g)]
        .map((match) => match[1])
        .filter((name) => unalias(manifest.overrides, name))
      if (needed.length === 0 || attempt === 3) {
        // The build's own first error says why, in one line.
        const why = said.match(/\[ERROR\] (.*)/) || said.match(/^(?:\w*Error): (.*)$/m)
        throw new Error(why ? `the build failed: ${why[1].trim()}` : error.message)
      }
      console.log(`${pkg} ${version} imports ${[...new Set(needed)].join(', ')}: installing it after all`)
    }
  }
  // The adapters run the bundle alone: a history of hundreds of releases keeps only that.
  if (process.env.TARO_CONFORMANCE_PRUNE) fs.rmSync(path.join(root, 'node_modules'), { recursive: true, force: true })
}

// Removes `name`'s alias to the empty package from npm overrides (top level or under a package);
// whether there was one.
function unalias(overrides, name) {
  let found = false
  for (const [key, value] of Object.entries(overrides || {})) {
    if (key === name && value === EMPTY) {
      delete overrides[key]
      found = true
    } else if (value && typeof value === 'object') {
      found = unalias(value, name) || found
    }
  }
  return found
}

// npm's rule for a package name: nothing else may name a folder under node_modules.
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/

// A package's manifest, or null where there is none; its name and version are checked, since a
// local build is data here: the name becomes a folder to replace, and the version reaches logs
// and labels.
function manifestIn(dir, where = dir) {
  const file = path.join(dir, 'package.json')
  if (!fs.existsSync(file)) return null
  let manifest
  try {
    manifest = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${path.join(where, 'package.json')}: not JSON (${error.message})`)
  }
  return manifest && typeof manifest === 'object' ? manifest : {}
}

function checkedPackage(manifest, dir, where) {
  const file = path.join(where, 'package.json')
  if (typeof manifest.name !== 'string' || !PACKAGE_NAME.test(manifest.name)) {
    throw new Error(`${file}: not a package name: ${JSON.stringify(manifest.name)}`)
  }
  // Semantic versioning's characters: one printable line, and none that a CI log or Markdown
  // would read as markup (printable alone would let `##[command]` through).
  if (typeof manifest.version !== 'string' || !/^[0-9A-Za-z][0-9A-Za-z.+-]{0,99}$/.test(manifest.version)) {
    throw new Error(`${file}: not a version: ${JSON.stringify(manifest.version)}`)
  }
  refuseLinks(dir, where)
  return { name: manifest.name, dir, where: file }
}

// A package is copied as files and folders: a symbolic link in it is refused, since following it
// would copy whatever it points at (a host folder, from a tarball) and keeping it would leave the
// install pointing there; npm pack leaves links out, so a published package never has one.
// node_modules is not copied, so not looked at.
function refuseLinks(dir, where = dir) {
  const walk = (at) => {
    const stat = fs.lstatSync(at)
    const shown = path.join(where, path.relative(dir, at))
    if (stat.isSymbolicLink()) throw new Error(`${shown} is a symbolic link (to ${fs.readlinkSync(at)}): a package is copied as files`)
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(at)) if (entry !== 'node_modules') walk(path.join(at, entry))
    } else if (!stat.isFile()) {
      throw new Error(`${shown} is neither a file nor a folder`)
    }
  }
  walk(dir)
}

// Copies a package checked by refuseLinks, following no link.
function copyPackage(from, to) {
  const stat = fs.lstatSync(from)
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true })
    for (const entry of fs.readdirSync(from)) if (entry !== 'node_modules') copyPackage(path.join(from, entry), path.join(to, entry))
  } else if (stat.isFile()) {
    fs.copyFileSync(from, to)
    fs.chmodSync(to, stat.mode & 0o755)
  } else {
    throw new Error(`${from} is neither a file nor a folder`)
  }
}

// Removes a folder this program made, even one a tarball left without write permission.
function removeTree(dir) {
  const writable = (at) => {
    const stat = fs.lstatSync(at, { throwIfNoEntry: false })
    if (!stat || !stat.isDirectory()) return
    fs.chmodSync(at, 0o700)
    for (const entry of fs.readdirSync(at)) writable(path.join(at, entry))
  }
  try {
    writable(dir)
  } catch {}
  fs.rmSync(dir, { recursive: true, force: true })
}

// Unpacks a packed package into a new folder (recorded in `scratch`, for the caller to remove):
// its `package` folder. Only files, folders and hard links (which tar keeps inside the folder,
// and npm pack writes for files linked together) are unpacked: a symbolic link is refused before
// anything is written.
function unpack(tarball, scratch) {
  const listing = execFileSync('tar', ['-tvzf', tarball], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const link = listing.split('\n').find((line) => line && !/^[-dh]/.test(line))
  if (link !== undefined) throw new Error(`${tarball}: holds an entry that is not a file or folder: ${JSON.stringify(link)}`)
  const into = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'taro-pack-'))
  scratch.push(into)
  execFileSync('tar', ['-xzf', tarball, '-C', into])
  const dir = path.join(into, 'package')
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false })
  if (!stat || !stat.isDirectory()) throw new Error(`${tarball}: no package folder in it`)
  return dir
}

// The packages of a local build: [{ name, dir, where (its package.json, as shown) }], each name
// and version checked. Tarballs are unpacked into folders listed in `scratch`, which the caller
// removes however this ends.
function localPackages(source, scratch) {
  const one = manifestIn(source)
  if (one && one.name) return [checkedPackage(one, source, source)]
  const monorepo = path.join(source, 'packages')
  if (fs.existsSync(monorepo)) {
    return fs.readdirSync(monorepo)
      .map((entry) => ({ dir: path.join(monorepo, entry), manifest: manifestIn(path.join(monorepo, entry)) }))
      .filter(({ manifest }) => manifest && typeof manifest.name === 'string' && manifest.name.startsWith('@tarojs/'))
      .map(({ dir, manifest }) => {
        if (fs.lstatSync(dir).isSymbolicLink()) throw new Error(`${dir} is a symbolic link (to ${fs.readlinkSync(dir)}): a package is copied as files`)
        return checkedPackage(manifest, dir, dir)
      })
  }
  const tarballs = fs.readdirSync(source).filter((file) => file.endsWith('.tgz'))
  return tarballs.map((file) => {
    const tarball = path.join(source, file)
    const dir = unpack(tarball, scratch)
    // Named as the tarball's entry, so a message says which tarball it is.
    const where = `${tarball}:package`
    const manifest = manifestIn(dir, where)
    if (!manifest) throw new Error(`${tarball}: no package.json in its package folder`)
    return checkedPackage(manifest, dir, where)
  })
}

// Where the package `name` goes in `modules` (the version's node_modules), ready for its copy:
// inside `modules` once every link on the way is resolved. A scope that is a link to the pinned
// project's is made a folder of its own first (the pinned packages linked in it), so that
// replacing a package there never reaches into the pinned project.
function destination(modules, name, where) {
  const into = path.resolve(modules, name)
  const inside = (at, base) => {
    const rel = path.relative(base, at)
    return rel !== '' && rel.split(path.sep)[0] !== '..' && !path.isAbsolute(rel)
  }
  if (!inside(into, modules)) throw new Error(`${where}: ${JSON.stringify(name)} is not a folder in node_modules`)
  const parent = path.dirname(into)
  if (parent !== modules) {
    const stat = fs.lstatSync(parent, { throwIfNoEntry: false })
    if (stat && stat.isSymbolicLink()) {
      const pinned = fs.realpathSync(parent)
      fs.unlinkSync(parent)
      fs.mkdirSync(parent)
      for (const entry of fs.readdirSync(pinned)) fs.symlinkSync(path.join(pinned, entry), path.join(parent, entry))
    } else if (!stat) {
      fs.mkdirSync(parent)
    }
  }
  if (!inside(path.join(fs.realpathSync(parent), path.basename(into)), fs.realpathSync(modules))) {
    throw new Error(`${where}: ${JSON.stringify(name)} resolves outside node_modules`)
  }
  return into
}

// A content hash of packages ([{ name, dir }]): every file but node_modules, by name and path.
function contentHash(packages) {
  const hash = require('node:crypto').createHash('sha256')
  const byName = [...packages].sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const { name, dir } of byName) {
    hash.update(`${name}\0`)
    const walk = (at) => {
      const entries = fs.readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))
      for (const entry of entries) {
        const file = path.join(at, entry.name)
        if (entry.isDirectory() && entry.name !== 'node_modules') walk(file)
        else if (entry.isFile()) hash.update(`${path.relative(dir, file)}\0`).update(fs.readFileSync(file)).update('\0')
      }
    }
    walk(dir)
  }
  return `sha256:${hash.digest('hex').slice(0, 12)}`
}

const git = (cwd, args) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()

// The git commit a local build was made from, or null: only when every package taken from it
// (`sources`, their folders in `source`) is a folder of a git work tree's top-level packages/
// folder (a Taro checkout, or one of its packages). Tarballs, and folders in an enclosing
// repository that is not the build's source, have none. `+dirty` when the work tree has changes
// not committed (untracked files too; ignored ones, as a build's dist/, are not seen).
function commitOf(source, sources) {
  let top
  try {
    top = fs.realpathSync(git(source, ['rev-parse', '--show-toplevel']))
  } catch {
    return null
  }
  const packagesDir = path.join(top, 'packages') + path.sep
  if (sources.length === 0 || !sources.every((dir) => dir.startsWith(packagesDir))) return null
  try {
    const commit = git(top, ['rev-parse', '--short=12', 'HEAD'])
    return git(top, ['status', '--porcelain']) === '' ? commit : `${commit}+dirty`
  } catch {
    return null // a work tree with no commit yet
  }
}

// What names a local build, after its version and label: a hash of every package the bundle
// took from DIR (`used`: [{ name, dir (the copy) , from (its folder in DIR, or null for a
// tarball) }]), after the commit where commitOf finds one: `sha256:H` or `git C[+dirty], sha256:H`.
function buildName(source, used) {
  const hash = contentHash(used)
  const folders = used.map((p) => p.from)
  const commit = folders.every(Boolean) ? commitOf(source, folders) : null
  return commit ? `git ${commit}, ${hash}` : hash
}

// Where each package of the bundle came from (its dist/packages.json): the rows printed, and the
// error when a package of DIR is not the one the bundle holds. `modules` is the build's
// node_modules, `copied` the packages taken from DIR (name → where, as shown).
function sourcesOf(built, root, modules, copied) {
  const rows = built.packages
    .filter(({ name }) => name.startsWith('@tarojs/') || copied.has(name))
    .map((p) => {
      const dir = fs.realpathSync(path.resolve(root, p.dir))
      const fromDir = copied.has(p.name) && dir === fs.realpathSync(path.join(modules, p.name))
      return { ...p, dir, fromDir, shown: fromDir ? copied.get(p.name) : path.relative(process.cwd(), dir) }
    })
  const needs = built.needs.join(', ')
  const problems = []
  for (const name of new Set(rows.map((r) => r.name))) {
    const copies = rows.filter((r) => r.name === name)
    const pinned = copies.filter((r) => !r.fromDir)
    const importers = (r) => (r.importedBy.length ? `, imported by ${r.importedBy.join(', ')}` : '')
    const describe = (r) => `${r.version} ${r.fromDir ? 'from DIR' : 'pinned'} (${r.shown}${importers(r)})`
    // The packages to take from DIR too: those that import the pinned copy.
    const takeToo = (r) => `take ${r.importedBy.join(', ') || 'the packages that import it'} from DIR too (a build needs ${needs})`
    if (copies.length > 1) {
      problems.push(`${name} is in the bundle twice: ${copies.map(describe).join(' and ')}: ${pinned.length ? takeToo(pinned[0]) : `a build needs ${needs}`}`)
    } else if (copied.has(name) && pinned.length) {
      problems.push(`${name} from DIR (${copied.get(name)}) is not in the bundle, which holds ${describe(pinned[0])}: ${takeToo(pinned[0])}`)
    }
  }
  if (!rows.some((r) => r.fromDir) && problems.length === 0) {
    problems.push(`the bundle holds no package of DIR: a build needs ${needs}`)
  }
  return { rows, problems }
}

function installLocal(project, label, source) {
  const { dir, pkg } = project
  if (!/^[0-9A-Za-z][0-9A-Za-z.+_-]*$/.test(label)) throw new Error(`not a name for a build: ${label}`)
  // The folder named, resolved: inside it, a link is refused.
  source = fs.realpathSync(source)
  const pinned = path.join(dir, 'node_modules')
  if (!fs.existsSync(path.join(pinned, pkg))) {
    throw new Error(`set the pinned version up first (its adapter's \`taro-conformance setup\`)`)
  }
  // All or nothing: the build is made in a folder of its own (a label never starts with a dot)
  // and becomes versions/LABEL only once its bundle is checked; a failure leaves no LABEL, so
  // running it says it is not set up, rather than running an earlier build of that name.
  const root = path.join(dir, 'versions', label)
  const staging = path.join(dir, 'versions', `.partial-${label}`)
  const modules = path.join(staging, 'node_modules')
  const scratch = []
  // name → { where (as shown), from (its folder in DIR, or null for a tarball) }
  const copied = new Map()
  try {
    try {
      // Everything is read and checked before anything is removed.
      const packages = localPackages(source, scratch)
      if (packages.length === 0) throw new Error(`no package in ${source}: name a package folder, a Taro checkout (its packages/*) or a folder of packed tarballs (*.tgz)`)
      removeTree(staging)
      removeTree(root)
      // The pinned packages by link, the local build's by copy over them.
      fs.mkdirSync(path.join(modules, '@tarojs'), { recursive: true })
      for (const entry of fs.readdirSync(pinned)) {
        if (entry !== '@tarojs' && entry !== '.bin') fs.symlinkSync(path.join(pinned, entry), path.join(modules, entry))
      }
      for (const entry of fs.readdirSync(path.join(pinned, '@tarojs'))) {
        fs.symlinkSync(path.join(pinned, '@tarojs', entry), path.join(modules, '@tarojs', entry))
      }
      for (const { name, dir: from, where } of packages) {
        const into = destination(modules, name, where)
        fs.rmSync(into, { recursive: true, force: true })
        copyPackage(from, into)
        copied.set(name, { where: where.replace(/(:package)?[\\/]package\.json$/, ''), from: scratch.some((s) => from.startsWith(s + path.sep)) ? null : from })
      }
    } finally {
      for (const folder of scratch) removeTree(folder)
    }
    execFileSync(process.execPath, buildCommand(project, staging), { stdio: 'inherit' })
    const dist = path.join(staging, 'dist')
    const built = JSON.parse(fs.readFileSync(path.join(dist, 'packages.json'), 'utf8'))
    const shownCopied = new Map([...copied].map(([name, c]) => [name, c.where]))
    const { rows, problems } = sourcesOf(built, staging, modules, shownCopied)
    console.log(`a build of ${pkg} needs ${built.needs.join(', ')} (one DIR lacks is taken pinned); the bundle holds:`)
    const width = Math.max(...rows.map((r) => `${r.name} ${r.version}`.length))
    for (const r of rows) console.log(`  ${`${r.name} ${r.version}`.padEnd(width)}  ${r.fromDir ? 'from DIR' : 'pinned  '}  ${r.shown}`)
    if (problems.length) throw new Error(problems.join('; '))
    // The version it says it is, and which build of it (version.json holds one version).
    const versionFile = path.join(dist, 'version.json')
    const used = rows.filter((r) => r.fromDir).map((r) => ({ name: r.name, dir: r.dir, from: copied.get(r.name).from }))
    const rev = buildName(source, used)
    // The first entry is the package under test's version.
    const versions = JSON.parse(fs.readFileSync(versionFile, 'utf8'))
    const [[key, version]] = Object.entries(versions)
    const named = `${version}+${label} (${rev})`
    fs.writeFileSync(versionFile, JSON.stringify({ ...versions, [key]: named }) + '\n')
    fs.renameSync(staging, root)
    console.log(`set up ${label}: ${pkg} ${named} from ${source}`)
  } catch (error) {
    removeTree(staging)
    removeTree(root)
    throw error
  }
}

// `install VERSION|LABEL` (the arguments, default the command line's) for the project `project`:
// { dir (the npm project), pkg (the package under test), siblings (packages pinned to its version
// too), fixed (optional: { package: version } installed at that version whatever the release:
// a community plugin's releases are not Taro's), bundle (the file the build writes into dist/),
// build (optional: root => the build script and its arguments), stub (optional: name => whether that dependency of the package
// is replaced by an empty package) }.
function main(project, args = process.argv.slice(2)) {
  const [command, version] = args
  try {
    if (command !== 'install' || !version) throw new Error('usage: node versions.js install VERSION|LABEL')
    const source = process.env.TARO_CONFORMANCE_TARO_SOURCE
    if (source) installLocal(project, version, source)
    else install(project, version)
  } catch (error) {
    // One line that says why: a release that cannot run here says so at setup.
    console.error(`cannot set up ${project.pkg} ${version}: ${error.message.split('\n')[0]}`)
    process.exit(1)
  }
}

// Where the adapter program finds the build under test: the pinned one (`pinned`, default
// DIR/dist), or the one the runner names in TARO_CONFORMANCE_TARO, set up in DIR/versions/.
// A build made with another harness (adapters/lib/harness.js changed since) is refused: what it
// observes is that harness's, not this one's.
function distDir(dir, pinned = path.join(dir, 'dist')) {
  const taro = process.env.TARO_CONFORMANCE_TARO
  const dist = taro ? path.join(dir, 'versions', taro, 'dist') : pinned
  if (fs.existsSync(dist) && !harnessIsCurrent(dist)) {
    const again = taro ? `setup ADAPTER --taro ${taro}` : 'setup ADAPTER'
    // One line, not a stack: the runner shows it as the reason the adapter did not start.
    console.error(`${path.relative(process.cwd(), dist)} was bundled with another adapters/lib/harness.js: set it up again (\`taro-conformance ${again}\`)`)
    process.exit(1)
  }
  return dist
}

module.exports = { main, distDir }
