// Bundles the published @tarojs/taro-h5 request module, unmodified, into one browser script:
//   window.TaroUnderTest = { request, addInterceptor, cleanInterceptors }
// followed by the conformance harness (../lib/harness.js), which runs cases inside the page.
// Run by the adapters' setup step; the output (dist/) is not committed.
//
// `node build.js [ROOT]` bundles the package installed under ROOT (default: this directory, the
// pinned version) into ROOT/dist; versions.js uses it for other versions, mutation/ (the mutation
// testing of the request module) requires it and bundles a mutated module in its place.
'use strict'
const esbuild = require('esbuild')
const fs = require('node:fs')
const path = require('node:path')

// Where the request module is, by release: the first that exists is bundled.
const REQUEST_MODULES = [
  '@tarojs/taro-h5/dist/api/network/request/index.js',
  '@tarojs/taro-h5/dist/api/network/request/index.esm.js',
  '@tarojs/taro-h5/dist/api/request/index.js',
  // Early 3.x ships its ES sources beside one CommonJS bundle; 3.3.17–3.4.x its TypeScript ones.
  '@tarojs/taro-h5/src/api/request/index.js',
  '@tarojs/taro-h5/src/api/network/request/index.ts',
]

// @tarojs/runtime reads `process.env.TARO_PLATFORM === 'web' ? window : {}` when it loads: that is
// the one name that must be defined. The others fold branches that are dead on the web platform.
// `global` is the window, as in an app: Taro's H5 build is webpack's, whose `node.global` (on by
// default in webpack 4 and 5) makes it so; @tarojs/runtime 3.0.23–3.0.x reads it when it loads.
const define = {
  global: 'window',
  'process.env.TARO_PLATFORM': '"web"',
  'process.env.TARO_ENV': '"h5"',
  'process.env.NODE_ENV': '"production"',
  ...Object.fromEntries(
    ['ENABLE_INNER_HTML', 'ENABLE_ADJACENT_HTML', 'ENABLE_SIZE_APIS', 'ENABLE_TEMPLATE_CONTENT',
      'ENABLE_CLONE_NODE', 'ENABLE_CONTAINS', 'ENABLE_MUTATION_OBSERVER'].map((name) => [name, 'false']),
  ),
}

// Modules some releases import on paths the request never takes, and do not declare.
const UNDECLARED = ['babel-types']

// The request module of the package installed under ROOT, relative to its node_modules.
function requestModule(root) {
  const request = REQUEST_MODULES.find((m) => fs.existsSync(path.join(root, 'node_modules', m)))
  if (!request) {
    throw new Error(`no request module of @tarojs/taro-h5 under ${root}/node_modules (looked for ${REQUEST_MODULES.join(', ')})`)
  }
  return request
}

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

// Bundles the request module installed under ROOT into OUT_DIR (default ROOT/dist). With
// `requestSource`, that text is bundled in the module's place (its imports resolved from the
// module's own directory); `banner` is a script put before everything else.
async function bundle(rootGiven, { outDir = path.join(rootGiven, 'dist'), requestSource, banner } = {}) {
  // Absolute, because the substitute plugin matches esbuild's absolute module path exactly: from
  // a relative root, `requestSource` would be silently left out.
  const root = path.resolve(rootGiven)
  const request = requestModule(root)
  const outfile = path.join(outDir, 'taro-h5-request.js')
  await esbuild.build({
    stdin: {
      // Imported as a namespace: a release without cleanInterceptors (or addInterceptor) still
      // bundles, and the harness finds the function missing.
      contents: `import * as Request from '${request}';
                 window.TaroUnderTest = { request: Request.request, addInterceptor: Request.addInterceptor, cleanInterceptors: Request.cleanInterceptors };`,
      resolveDir: root,
      sourcefile: 'taro-h5-entry.js',
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    define,
    // Imported by early 3.x @tarojs/runtime without being declared.
    alias: Object.fromEntries(UNDECLARED.map((name) => [name, path.join(__dirname, 'stubs', 'empty.js')])),
    outfile,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: requestSource === undefined ? [] : [substitute(path.join(root, 'node_modules', request), requestSource)],
    banner: banner === undefined ? undefined : { js: banner },
  })
  // The harness goes after the request module in the same script.
  fs.appendFileSync(outfile, '\n' + fs.readFileSync(path.join(__dirname, '..', 'lib', 'harness.js'), 'utf8'))
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@tarojs', 'taro-h5', 'package.json'), 'utf8')).version
  fs.writeFileSync(path.join(outDir, 'version.json'), JSON.stringify({ taroH5: version }) + '\n')
  return { outfile, version, request }
}

module.exports = { bundle, requestModule }

if (require.main === module) {
  const root = path.resolve(process.argv[2] || __dirname)
  bundle(root).then(({ outfile, version }) => {
    console.log(`built ${path.relative(process.cwd(), outfile)} (${fs.statSync(outfile).size} bytes) from @tarojs/taro-h5 ${version}`)
  }, (error) => {
    console.error(error)
    process.exit(1)
  })
}
