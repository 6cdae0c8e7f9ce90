// Bundles the request of @tarojs/plugin-platform-harmony-ets, unmodified, into one script:
//   globalThis.TaroUnderTest = { request }
// followed by the harness (../lib/harness.js). The plugin publishes its APIs as the TypeScript a
// HarmonyOS app compiles (dist/apis/network/request.ts); the app's Taro.request is that
// function itself (dist/runtime.js: `const taro = Object.assign({}, apis)`, no interceptors).
// Its HarmonyOS imports are the system's modules: `@ohos.net.http` is resolved to the model the
// adapter puts on the page (`globalThis.__ohos`, ../taro-harmony-hybrid/model/ohos-http.js),
// `@ohos.abilityAccessCtrl` (permissions, never asked for by a request) to an empty object.
// Run at setup; dist/ is not committed. The bundling is the kit's (../lib/bundle.js).
//
// `node build.js [ROOT]` bundles the package installed under ROOT (default: this directory).
'use strict'
const esbuild = require('esbuild')
const path = require('node:path')
const kit = require('../lib/bundle')

const REQUEST_MODULES = ['@tarojs/plugin-platform-harmony-ets/dist/apis/network/request.ts']

const SYSTEM_MODULES = {
  '@ohos.net.http': 'export default globalThis.__ohos.http',
  '@ohos.abilityAccessCtrl': 'export default {}',
}
const systemModules = {
  name: 'ohos-system-modules',
  setup(build) {
    build.onResolve({ filter: /^@ohos\./ }, (args) => ({ path: args.path, namespace: 'ohos' }))
    build.onLoad({ filter: /.*/, namespace: 'ohos' }, (args) => {
      if (!(args.path in SYSTEM_MODULES)) return { errors: [{ text: `no model of the system module ${args.path}` }] }
      return { contents: SYSTEM_MODULES[args.path], loader: 'js' }
    })
  },
}

// The names a Taro build for HarmonyOS defines.
const define = {
  'process.env.TARO_ENV': '"harmony"',
  'process.env.TARO_PLATFORM': '"harmony"',
  'process.env.NODE_ENV': '"production"',
}

const NEEDS = ['@tarojs/plugin-platform-harmony-ets', '@tarojs/runtime', '@tarojs/shared']

async function build(root) {
  return kit.bundle(esbuild, {
    root,
    request: REQUEST_MODULES,
    entry: (request) => `import { request } from '${request}';
                 globalThis.TaroUnderTest = { request };`,
    entryName: 'taro-harmony-ets-entry.js',
    outName: 'taro-harmony-ets-request.js',
    versions: { plugin: '@tarojs/plugin-platform-harmony-ets', runtime: '@tarojs/runtime' },
    platform: 'browser',
    define,
    needs: NEEDS,
    esbuild: { plugins: [systemModules] },
  })
}

module.exports = { build, NEEDS }

if (require.main === module) kit.main(() => build(process.argv[2] || __dirname))
