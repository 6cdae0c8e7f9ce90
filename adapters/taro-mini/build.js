// Bundles Taro's mini-program layer for one platform, unmodified, into one script for a sandbox:
//   import '@tarojs/plugin-platform-NAME/dist/runtime'   (registers initNativeApi for the platform)
//   import Taro from '@tarojs/taro'                      (builds Taro over the platform's global)
//   globalThis.TaroUnderTest = Taro
// followed by the conformance harness (../lib/harness.js). The packages come from
// packages/NAME/node_modules, installed from that folder's pinned lockfile, so each platform's
// @tarojs/* versions are the ones its plugin publishes. Run at setup; dist/ is not committed.
// The bundling is the kit's (../lib/bundle.js); this file says what goes in.
//
// `node build.js NAME [ROOT]` bundles the packages installed under ROOT (default: packages/NAME,
// the pinned versions, into dist/NAME) into ROOT/dist; versions.js uses it for other versions.
// mutation/ (the mutation testing of the request layer) requires it and bundles mutated modules
// in the published ones' place (`outDir`, `plugins`, `banner`: lib/bundle.js's options).
'use strict'
const esbuild = require('esbuild')
const path = require('node:path')
const kit = require('../lib/bundle')
const { platforms } = require('./models')

// Taro's mini-program builds before 3.5 were webpack 4's, whose `node.process` (on by default)
// gives every module that names `process` a shim object: @tarojs/runtime 3.4.0 reads it when it
// loads (reflect-metadata). Later builds are webpack 5's, which gives none.
function webpack4Process(taro) {
  const [major, minor] = taro.split('.').map(Number)
  return major < 3 || (major === 3 && minor < 5) ? { process: JSON.stringify({ env: {} }) } : {}
}

// The @tarojs packages a build of a platform needs: those the pinned bundle holds (its
// dist/NAME/packages.json says so; a local build missing one takes the pinned one).
const needs = (name) => [
  `@tarojs/plugin-platform-${name}`,
  ...(platforms[name].layers || []),
  '@tarojs/taro',
  '@tarojs/api',
  '@tarojs/runtime',
  '@tarojs/shared',
]

async function build(name, root, { outDir, plugins = [], banner } = {}) {
  if (!platforms[name]) throw new Error(`unknown platform "${name}"; one of: ${Object.keys(platforms).join(', ')}`)
  const packageDir = root ? path.resolve(root) : path.join(__dirname, 'packages', name)
  const taro = kit.versionOf(packageDir, '@tarojs/taro')
  const env = platforms[name].id
  return kit.bundle(esbuild, {
    root: packageDir,
    entry: `import '@tarojs/plugin-platform-${name}/dist/runtime';
                 import Taro from '@tarojs/taro';
                 globalThis.TaroUnderTest = Taro;`,
    entryName: `taro-${name}-entry.js`,
    outName: 'taro.js',
    outDir: outDir || (root ? path.join(packageDir, 'dist') : path.join(__dirname, 'dist', name)),
    versions: { plugin: `@tarojs/plugin-platform-${name}`, taro: '@tarojs/taro' },
    needs: needs(name),
    esbuild: { mainFields: ['module', 'main'], plugins },
    banner,
    // The names a Taro build defines for a mini-program app of this platform.
    define: {
      ...webpack4Process(taro),
      'process.env.TARO_ENV': JSON.stringify(env),
      'process.env.TARO_PLATFORM': JSON.stringify('mini'),
      'process.env.NODE_ENV': JSON.stringify('production'),
      'process.env.SUPPORT_TARO_POLYFILL': JSON.stringify('disabled'),
      'process.env.FRAMEWORK': JSON.stringify('react'),
      'process.env.TARO_VERSION': JSON.stringify(taro),
      ENABLE_INNER_HTML: 'true',
      ENABLE_ADJACENT_HTML: 'true',
      ENABLE_SIZE_APIS: 'true',
      ENABLE_TEMPLATE_CONTENT: 'true',
      ENABLE_CLONE_NODE: 'true',
      ENABLE_CONTAINS: 'true',
      ENABLE_MUTATION_OBSERVER: 'true',
    },
  })
}

module.exports = { build, needs }

if (require.main === module) kit.main(() => build(process.argv[2], process.argv[3]))
