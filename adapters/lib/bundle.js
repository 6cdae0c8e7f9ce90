// Bundles a published Taro package's request, unmodified, into one script for the adapter to
// load (a page, a jsdom window or a vm sandbox): an entry that puts the package's request on
// globalThis.TaroUnderTest, then the harness (harness.js) after it in the same file, and
// dist/version.json saying which versions went in. Each adapter's build.js says what to bundle;
// README.md beside this file lists the parameters.
//
// No dependencies: esbuild comes from the calling adapter's own node_modules.
'use strict'
const fs = require('node:fs')
const path = require('node:path')

const HARNESS = path.join(__dirname, 'harness.js')
// The file in a bundle's folder that names the harness bundled with it.
const HARNESS_STAMP = 'harness.sha256'

// The digest of the harness as it is now.
function harnessDigest() {
  return require('node:crypto').createHash('sha256').update(fs.readFileSync(HARNESS)).digest('hex')
}

// Whether the bundles in DIR were made with the harness as it is now.
function harnessIsCurrent(dir) {
  const stamp = path.join(dir, HARNESS_STAMP)
  return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === harnessDigest()
}

// The first of `candidates` (module paths, relative to node_modules) installed under ROOT.
function findModule(root, candidates) {
  const found = candidates.find((m) => fs.existsSync(path.join(root, 'node_modules', m)))
  if (!found) {
    // The package is the first one or two segments of the path (a scoped name has two).
    const owner = candidates[0].split('/').slice(0, candidates[0].startsWith('@') ? 2 : 1).join('/')
    throw new Error(`no request module of ${owner} under ${root}/node_modules (looked for ${candidates.join(', ')})`)
  }
  return found
}

// The manifest of a package: a name installed under ROOT/node_modules, or an absolute directory.
function manifestOf(root, pkg) {
  const dir = path.isAbsolute(pkg) ? pkg : path.join(root, 'node_modules', pkg)
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
}

// The installed version of a package (as manifestOf finds it).
const versionOf = (root, pkg) => manifestOf(root, pkg).version

// An esbuild plugin that loads `contents` in place of the file at `modulePath`, resolving its
// imports from that file's directory.
function substitute(modulePath, contents) {
  return {
    name: 'request-source',
    setup(build) {
      build.onLoad({ filter: /\.js$/ }, (args) =>
        args.path === modulePath ? { contents, loader: 'js', resolveDir: path.dirname(modulePath) } : undefined)
    },
  }
}

// Bundles, with `esbuild` (the adapter's own), the packages installed under `root` into
// OUT_DIR/OUT_NAME, the harness appended, and writes OUT_DIR/version.json. Options:
//   root        the npm project whose node_modules holds the package(s)
//   request     optional: module paths (relative to node_modules) where the request is, by
//               release; the first installed one is passed to `entry`
//   entry       the entry's source, or (request) => source; imports resolve from `root`
//   entryName   the entry's file name, as the bundle's comments show it
//   outName     the bundle's file name
//   outDir      where it goes (default ROOT/dist)
//   versions    { key: package }: version.json's entries, in order, each the version of a package
//               installed under `root` or of an absolute package directory; the first is the
//               package under test (versions.js names a local build there)
//   platform    esbuild's platform (default 'neutral')
//   define      esbuild's define: the names the platform's build defines
//   esbuild     any other esbuild options (mainFields, alias, plugins, tsconfigRaw, …)
//   requestSource  optional: text bundled in the request module's place, its imports resolved
//               from the module's own directory (mutation testing)
//   banner      optional: a script put before everything else
//   needs       the @tarojs packages a build of it needs (as the pinned one's bundle holds):
//               written with what the bundle holds, for versions.js to check a local build by
// Also writes OUT_DIR/packages.json: { needs, packages: every package in the bundle, read from
// esbuild's metafile (bundledPackages) }.
// Resolves to { outfile, request, versions, packages }, packages naming each version's package.
async function bundle(esbuild, options) {
  const { entry, entryName, outName, versions = {}, platform = 'neutral', define, requestSource, banner } = options
  // Absolute, because the substitute plugin matches esbuild's absolute module path exactly: from
  // a relative root, `requestSource` would be silently left out.
  const root = path.resolve(options.root)
  const outDir = options.outDir || path.join(root, 'dist')
  const request = options.request ? findModule(root, options.request) : undefined
  if (requestSource !== undefined && !request) throw new Error('requestSource needs the request option')
  const extra = options.esbuild || {}
  const outfile = path.join(outDir, outName)
  const { metafile } = await esbuild.build({
    stdin: {
      contents: typeof entry === 'function' ? entry(request) : entry,
      resolveDir: root,
      sourcefile: entryName,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform,
    target: 'es2019',
    define,
    outfile,
    legalComments: 'none',
    logLevel: 'warning',
    ...extra,
    plugins: [
      ...(extra.plugins || []),
      ...(requestSource === undefined ? [] : [substitute(path.join(root, 'node_modules', request), requestSource)]),
    ],
    banner: banner === undefined ? undefined : { js: banner },
    metafile: true,
  })
  // The harness goes after the bundle in the same script; its digest beside it, so that a bundle
  // made with another harness is refused instead of run (lib/versions.js's distDir).
  fs.appendFileSync(outfile, '\n' + fs.readFileSync(HARNESS, 'utf8'))
  fs.writeFileSync(path.join(outDir, HARNESS_STAMP), harnessDigest() + '\n')
  const found = Object.entries(versions).map(([key, pkg]) => [key, manifestOf(root, pkg)])
  const written = Object.fromEntries(found.map(([key, m]) => [key, m.version]))
  fs.writeFileSync(path.join(outDir, 'version.json'), JSON.stringify(written) + '\n')
  const bundled = bundledPackages(metafile, root)
  fs.writeFileSync(path.join(outDir, 'packages.json'), JSON.stringify({ needs: options.needs || [], packages: bundled }, null, 2) + '\n')
  return { outfile, bundled, request, versions: written, packages: found.map(([, m]) => `${m.name} ${m.version}`) }
}

// The package folder an input of esbuild's metafile (a path relative to the working directory)
// belongs to: { name, dir } for a file under node_modules, else null (the entry, a stub). A
// folder named node_modules with no manifest is part of the package around it (a published dist
// that holds its bundler's copy of a helper, as the harmony-hybrid plugin's holds tslib's).
function packageOf(input) {
  const parts = path.resolve(input).split(path.sep)
  for (let at = parts.lastIndexOf('node_modules'); at >= 0; at = parts.lastIndexOf('node_modules', at - 1)) {
    if (at + 1 >= parts.length) return null
    const end = at + (parts[at + 1].startsWith('@') ? 3 : 2)
    const dir = parts.slice(0, end).join(path.sep)
    if (fs.existsSync(path.join(dir, 'package.json'))) return { name: parts.slice(at + 1, end).join('/'), dir }
    if (at === 0) break
  }
  return null
}

// Every package the bundle holds a file of, read from esbuild's metafile: [{ name, version, dir
// (relative to root), files, importedBy (the packages whose files import it) }], by name then
// folder. esbuild resolves links, so one name in two folders is two copies in the bundle.
function bundledPackages(metafile, root) {
  const found = new Map()
  const owner = (input) => {
    const at = packageOf(input)
    if (!at) return null
    if (!found.has(at.dir)) found.set(at.dir, { ...at, files: 0, importedBy: new Set() })
    return found.get(at.dir)
  }
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    const from = owner(input)
    if (from) from.files += 1
    for (const { path: imported, external } of imports) {
      if (external) continue
      const to = owner(imported)
      if (to && to !== from) to.importedBy.add(from ? from.name : 'the entry')
    }
  }
  return [...found.values()]
    .filter(({ files }) => files > 0)
    .map(({ name, dir, files, importedBy }) => ({
      name,
      version: manifestOf(root, dir).version,
      dir: path.relative(root, dir),
      files,
      importedBy: [...importedBy].sort(),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.dir < b.dir ? -1 : 1))
}

// A build.js run as a program: runs `build` (which resolves to bundle()'s result) and says what
// it built, or prints the error and exits 1.
function main(build) {
  Promise.resolve().then(build).then(({ outfile, packages }) => {
    const from = packages.length > 1 ? `${packages.slice(0, -1).join(', ')} and ${packages[packages.length - 1]}` : packages.join('')
    console.log(`built ${path.relative(process.cwd(), outfile)} (${fs.statSync(outfile).size} bytes) from ${from}`)
  }, (error) => {
    console.error(error)
    process.exit(1)
  })
}

module.exports = { bundle, bundledPackages, findModule, versionOf, main, harnessIsCurrent }
