// Bundles the published @tarojs/taro-rn request function, unmodified, with React Native's own
// networking JavaScript (react-native 0.73.11: Libraries/Core/setUpXHR.js installs
// XMLHttpRequest, FormData, fetch — whatwg-fetch over that XMLHttpRequest — Blob, FileReader and
// AbortController as globals, as an app's InitializeCore does) into one script for a Node vm
// context standing in for the app's JavaScript engine:
//   globalThis.TaroUnderTest = { request }
// followed by the conformance harness (../lib/harness.js). The native modules underneath are the
// models in native/ (MODELS.md), reached through RN's own NativeModules/TurboModuleRegistry.
// React Native ships Flow-typed source: flow-remove-types strips the types as the file loads.
// Run at setup; dist/ is not committed. The bundling is the kit's (../lib/bundle.js); this file
// says what goes in.
//
// `node build.js [ROOT]` bundles the @tarojs/taro-rn installed under ROOT (default: this
// directory, the pinned version) into ROOT/dist; versions.js uses it for other versions, mutation/
// (the mutation testing of the request module) requires it and bundles a mutated module in its
// place. React Native always comes from this directory.
'use strict'
const esbuild = require('esbuild')
const flowRemoveTypes = require('flow-remove-types')
const fs = require('node:fs')
const path = require('node:path')
const kit = require('../lib/bundle')

// Where the request function is, by release: the first that exists is bundled.
const REQUEST_MODULES = [
  '@tarojs/taro-rn/dist/lib/request/index.js',
  '@tarojs/taro-rn/dist/api/request/index.js',
  '@tarojs/taro-rn/src/lib/request/index.ts',
]

const RN = path.join(__dirname, 'node_modules', 'react-native')

// React Native's modules, and the packages they import, always from this directory.
const fromHere = {
  name: 'react-native-here',
  setup(build) {
    build.onResolve({ filter: /^(react-native|whatwg-fetch|abort-controller|event-target-shim|base64-js|invariant)(\/|$)/ }, (args) =>
      args.resolveDir.startsWith(__dirname) ? undefined : build.resolve(args.path, { resolveDir: __dirname, kind: args.kind }),
    )
    // Flow types out, as React Native's Babel preset does; the code is otherwise untouched.
    // Compiled as TypeScript without define semantics for class fields, because that is how the
    // preset compiles them: a field that only declares a type (XMLHttpRequest's `onload:
    // ?Function;`) is dropped, not defined as undefined over the event-target-shim accessor of the
    // same name, and initialised fields are assigned in the constructor.
    build.onLoad({ filter: /[\\/]node_modules[\\/]react-native[\\/]Libraries[\\/].*\.js$/ }, async (args) => ({
      contents: flowRemoveTypes(await fs.promises.readFile(args.path, 'utf8'), { all: true }).toString(),
      loader: 'ts',
    }))
  },
}

// The @tarojs packages a build needs: those the pinned bundle holds (its dist/packages.json says
// so). React Native's modules always come from this directory.
const NEEDS = ['@tarojs/taro-rn']

// The request module of the package installed under ROOT, relative to its node_modules.
const requestModule = (root) => kit.findModule(root, REQUEST_MODULES)

// Bundles the request installed under ROOT into OUT_DIR (default ROOT/dist). With
// `requestSource`, that text is bundled in the module's place (its imports resolved from the
// module's own directory); `banner` is a script put before everything else.
function bundle(root, { outDir, requestSource, banner } = {}) {
  return kit.bundle(esbuild, {
    root,
    request: REQUEST_MODULES,
    entry: (request) => `import 'react-native/Libraries/Core/setUpXHR';
                 import { request } from '${request}';
                 globalThis.TaroUnderTest = { request };`,
    entryName: 'taro-rn-entry.js',
    outName: 'taro-rn-request.js',
    outDir,
    versions: { taroRn: '@tarojs/taro-rn', reactNative: RN },
    needs: NEEDS,
    // A release build.
    define: { __DEV__: 'false', 'process.env.NODE_ENV': '"production"' },
    esbuild: {
      // Metro's resolution for an Android build: platform files first, package fields in its order.
      resolveExtensions: ['.android.js', '.native.js', '.js', '.ts', '.json'],
      mainFields: ['react-native', 'browser', 'main', 'module'],
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
      plugins: [fromHere],
    },
    requestSource,
    banner,
  })
}

module.exports = { bundle, requestModule, NEEDS }

if (require.main === module) kit.main(() => bundle(process.argv[2] || __dirname))
