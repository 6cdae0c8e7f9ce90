// Bundles the request of @tarojs/plugin-platform-harmony-hybrid, unmodified, into one page script:
//   window.TaroUnderTest = { request, addInterceptor, cleanInterceptors }
// from the module an app's `Taro.request` is (the plugin aliases @tarojs/taro to its
// dist/runtime/apis, which re-exports dist/api/apis/network/request), followed by the harness
// (../lib/harness.js). Its `request(options, useNativeRequest = true)` takes the native bridge
// unless the app passes `false`; the bridge is the container's (bridge.js models it). Run at
// setup; dist/ is not committed. The bundling is the kit's (../lib/bundle.js).
//
// `node build.js [ROOT]` bundles the package installed under ROOT (default: this directory, the
// pinned version) into ROOT/dist; versions.js uses it for other versions.
'use strict'
const esbuild = require('esbuild')
const path = require('node:path')
const kit = require('../lib/bundle')

// Where the request module is, by release: the first that exists is bundled.
const REQUEST_MODULES = [
  '@tarojs/plugin-platform-harmony-hybrid/dist/api/apis/network/request/index.js',
  '@tarojs/plugin-platform-harmony-hybrid/dist/api/apis/network/request.js',
]

// The names Taro's H5 build defines (the plugin builds on the H5 platform): as taro-h5/build.js.
const define = {
  global: 'window',
  'process.env.TARO_PLATFORM': '"web"',
  'process.env.TARO_ENV': '"harmony-hybrid"',
  'process.env.NODE_ENV': '"production"',
  ...Object.fromEntries(
    ['ENABLE_INNER_HTML', 'ENABLE_ADJACENT_HTML', 'ENABLE_SIZE_APIS', 'ENABLE_TEMPLATE_CONTENT',
      'ENABLE_CLONE_NODE', 'ENABLE_CONTAINS', 'ENABLE_MUTATION_OBSERVER'].map((name) => [name, 'false']),
  ),
}

// The request module imports `request`, `addInterceptor` and `cleanInterceptors` from
// @tarojs/taro-h5's root, for the H5 path an app opts into with `useNativeRequest = false`. The
// root holds every H5 API (router, components, …): the import is resolved to the module of
// taro-h5 that defines those three names, so the bundle holds what a request can run.
const H5_REQUEST = ['@tarojs/taro-h5/dist/api/network/request/index.js', '@tarojs/taro-h5/dist/api/network/request/index.esm.js']
const h5RequestOnly = (root) => ({
  name: 'taro-h5-request-only',
  setup(build) {
    build.onResolve({ filter: /^@tarojs\/taro-h5$/ }, () => ({ path: path.join(root, 'node_modules', kit.findModule(root, H5_REQUEST)) }))
  },
})

// The @tarojs packages a build needs: those the pinned bundle holds.
const NEEDS = ['@tarojs/plugin-platform-harmony-hybrid', '@tarojs/taro-h5', '@tarojs/api', '@tarojs/runtime', '@tarojs/shared']

async function build(root) {
  return kit.bundle(esbuild, {
    root,
    request: REQUEST_MODULES,
    entry: (request) => `import * as Request from '${request}';
                 window.TaroUnderTest = { request: Request.request, addInterceptor: Request.addInterceptor, cleanInterceptors: Request.cleanInterceptors };`,
    entryName: 'taro-harmony-hybrid-entry.js',
    outName: 'taro-harmony-hybrid-request.js',
    versions: { plugin: '@tarojs/plugin-platform-harmony-hybrid', taroH5: '@tarojs/taro-h5' },
    platform: 'browser',
    define,
    needs: NEEDS,
    esbuild: { plugins: [h5RequestOnly(path.resolve(root))] },
  })
}

module.exports = { build, NEEDS }

if (require.main === module) kit.main(() => build(process.argv[2] || __dirname))
