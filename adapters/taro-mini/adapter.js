// taro-mini: Taro's mini-program layer for one platform — @tarojs/plugin-platform-NAME's runtime
// and @tarojs/taro, bundled unmodified by build.js — over a model of that platform's native
// request API written from the vendor's documentation (models/, MODELS.md).
//
//   node adapter.js weapp|alipay|swan|tt|qq|jd
//
// Each case runs in a fresh sandbox (a Node vm context, like a mini-program's JavaScript engine:
// no DOM, no fetch) whose platform global (`wx`, `my`, …) holds a fresh native model, defined
// before the bundle loads, because Taro reads the global's keys once at load.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { serve, lendEncoder } = require('../lib/protocol')
const { sandboxPool } = require('../lib/pool')
const { distDir } = require('../lib/versions')
const { platforms, nativeGlobal } = require('./models')

const name = process.argv[2]
const platform = platforms[name]
if (!platform) {
  console.error(`usage: node adapter.js PLATFORM, one of: ${Object.keys(platforms).join(', ')} (got ${JSON.stringify(name)})`)
  process.exit(2)
}
// The build under test: the pinned versions (dist/NAME/), or another one set up with
// `taro-conformance setup taro-NAME --taro VERSION` (packages/NAME/versions/VERSION/dist/), which
// the runner names in TARO_CONFORMANCE_TARO.
const DIST = distDir(path.join(__dirname, 'packages', name), path.join(__dirname, 'dist', name))
const bundlePath = path.join(DIST, 'taro.js')
const bundle = new vm.Script(fs.readFileSync(bundlePath, 'utf8'), { filename: `taro-${name}.js` })
const versions = require(path.join(DIST, 'version.json'))

// A sandbox with the bundle loaded, ready for one case. Its globals are what a mini-program's
// JavaScript engine offers besides the language — timers and a console — plus the platform
// global; the harness also needs performance, btoa and atob.
function loadedSandbox() {
  // The harness hears what the layer passes the native API (client.native); it loads with the
  // bundle, after the global is made.
  let harness = null
  const context = {
    [platform.global]: nativeGlobal(name, (options) => harness && harness.nativeCall(options)),
    getCurrentPages: () => [],
    getApp: () => ({}),
    requirePlugin: () => ({}),
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    console: { log: console.error, info: console.error, warn: console.error, error: console.error, debug: console.error },
    performance,
    btoa,
    atob,
  }
  // Alipay's layer reads the user agent to tell the client apart.
  if (name === 'alipay') context.navigator = { userAgent: 'AlipayClient (taro-conformance model)' }
  vm.createContext(context)
  // Taro's builds for mini-programs name the global object `global`, as webpack provides it.
  context.global = vm.runInContext('globalThis', context)
  bundle.runInContext(context)
  harness = context.__taroConformance
  lendEncoder(harness)
  return context
}

// Each case gets a fresh sandbox, made ahead of it (../lib/pool.js says why).
const pool = sandboxPool(loadedSandbox, 16)

async function runCase(testCase) {
  const context = pool.take()
  return context.__taroConformance.runCase(testCase)
}

async function start() {
  pool.fill()
  return {
    name: `taro-${name}`,
    version: versions.plugin,
    platform: name,
    runtime: `Taro layer over a documented model of ${platform.vendor}'s native API (${platform.global}.request): @tarojs/plugin-platform-${name} ${versions.plugin}, @tarojs/taro ${versions.taro}, node ${process.versions.node}`,
    // The mini-program layer has Taro's interceptors and the native task's abort(); the H5
    // options are not its own. The model hears what the layer passes it (native-call).
    capabilities: ['core', 'abort', 'interceptors', 'native-call'],
    concurrency: 16,
  }
}

serve({ start, runCase, stop: async () => {} })
