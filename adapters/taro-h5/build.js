// Bundles the published @tarojs/taro-h5 request module, unmodified, into one browser script:
//   window.TaroUnderTest = { request, addInterceptor, cleanInterceptors }
// followed by the conformance harness (../lib/harness.js), which runs cases inside the page.
// Run by the adapters' setup step; the output (dist/) is not committed. The bundling is the
// kit's (../lib/bundle.js); this file says what goes in.
//
// `node build.js [ROOT]` bundles the package installed under ROOT (default: this directory, the
// pinned version) into ROOT/dist; versions.js uses it for other versions, mutation/ (the mutation
// testing of the request module) requires it and bundles a mutated module in its place.
'use strict'
const esbuild = require('esbuild')
const path = require('node:path')
const kit = require('../lib/bundle')

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

// The @tarojs packages a build needs: those the pinned bundle holds (its dist/packages.json says
// so; a local build missing one takes the pinned one).
const NEEDS = ['@tarojs/taro-h5', '@tarojs/api', '@tarojs/runtime', '@tarojs/shared']

// Modules some releases import on paths the request never takes, and do not declare.
const UNDECLARED = ['babel-types']

// The request module of the package installed under ROOT, relative to its node_modules.
const requestModule = (root) => kit.findModule(root, REQUEST_MODULES)

// Bundles the request module installed under ROOT into OUT_DIR (default ROOT/dist). With
// `requestSource`, that text is bundled in the module's place (its imports resolved from the
// module's own directory); `banner` is a script put before everything else.
async function bundle(root, { outDir, requestSource, banner } = {}) {
  const built = await kit.bundle(esbuild, {
    root,
    request: REQUEST_MODULES,
    // Imported as a namespace: a release without cleanInterceptors (or addInterceptor) still
    // bundles, and the harness finds the function missing.
    entry: (request) => `import * as Request from '${request}';
                 window.TaroUnderTest = { request: Request.request, addInterceptor: Request.addInterceptor, cleanInterceptors: Request.cleanInterceptors };`,
    entryName: 'taro-h5-entry.js',
    outName: 'taro-h5-request.js',
    outDir,
    versions: { taroH5: '@tarojs/taro-h5' },
    platform: 'browser',
    define,
    // Imported by early 3.x @tarojs/runtime without being declared.
    esbuild: { alias: Object.fromEntries(UNDECLARED.map((name) => [name, path.join(__dirname, 'stubs', 'empty.js')])) },
    requestSource,
    banner,
    needs: NEEDS,
  })
  return { ...built, version: built.versions.taroH5 }
}

module.exports = { bundle, requestModule, NEEDS }

if (require.main === module) kit.main(() => bundle(process.argv[2] || __dirname))
