// Bundles the published {{ package }} request module, unmodified, into one script for a page:
//   globalThis.TaroUnderTest = { request, addInterceptor, cleanInterceptors }
// followed by the conformance harness, with the kit's bundler (../lib/bundle.js, README.md
// there). Run at setup; dist/ is not committed.
//
// `node build.js [ROOT]` bundles the package installed under ROOT (default: this directory, the
// pinned version) into ROOT/dist; versions.js uses it for other versions.
'use strict'
const esbuild = require('esbuild')
const kit = require('../lib/bundle')

// Where the request module is, by release: the first that exists is bundled. This is where
// @tarojs/taro-h5 4.x keeps it (adapters/taro-h5/build.js lists older releases' places).
const REQUEST_MODULES = [
  '{{ package }}/dist/api/network/request/index.js',
]

// The names the platform's build defines. These are an H5 app's: @tarojs/runtime reads
// TARO_PLATFORM as it loads, the rest fold branches dead on the web; `global` is the window, as
// webpack makes it.
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

kit.main(() => kit.bundle(esbuild, {
  root: process.argv[2] || __dirname,
  request: REQUEST_MODULES,
  // Imported as a namespace: a release without an interceptor function still bundles, and the
  // harness finds it missing.
  entry: (request) => `import * as Request from '${request}';
    globalThis.TaroUnderTest = { request: Request.request, addInterceptor: Request.addInterceptor, cleanInterceptors: Request.cleanInterceptors };`,
  entryName: '{{ name }}-entry.js',
  outName: 'taro-request.js',
  // version.json: the package under test first.
  versions: { package: '{{ package }}' },
  // The @tarojs packages a local build needs: after the first setup, every one that
  // dist/packages.json lists (what the bundle holds).
  needs: ['{{ package }}'],
  platform: 'browser',
  define,
}))
