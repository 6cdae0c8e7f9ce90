// taro-rn: the published @tarojs/taro-rn Taro.request (dist/lib/request/index.js), unmodified,
// over React Native 0.73.11's own networking JavaScript — fetch (whatwg-fetch over RN's
// XMLHttpRequest), RCTNetworking.android.js, convertRequestBody, FormData, Blob, FileReader —
// bundled by build.js, over a model of RN's Android native modules written from RN's sources
// (native/, MODELS.md).
//
// Each case runs in a fresh app: a Node vm context (a JavaScript engine with no DOM and no fetch,
// as Hermes is) whose `nativeModuleProxy` holds fresh native models, with the bundle loaded.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { serve, lendEncoder } = require('../lib/protocol')
const { sandboxPool } = require('../lib/pool')
const { distDir } = require('../lib/versions')
const { nativeModules } = require('./native')

// The build under test: the pinned version (dist/), or another one set up with
// `taro-conformance setup taro-rn --taro VERSION` (versions/VERSION/dist/), which the runner names
// in TARO_CONFORMANCE_TARO.
const DIST = distDir(__dirname)
const bundlePath = path.join(DIST, 'taro-rn-request.js')
const bundle = new vm.Script(fs.readFileSync(bundlePath, 'utf8'), { filename: 'taro-rn-request.js' })
const versions = require(path.join(DIST, 'version.json'))

// The app's console writes to stderr: stdout is the protocol's.
const appConsole = new (require('node:console').Console)({ stdout: process.stderr, stderr: process.stderr })

// An exception thrown by a JavaScript listener while native delivers an event is the app's
// (React Native reports it as a fatal error); here it is logged and the adapter goes on.
function deliver(context, name, args) {
  try {
    context.__rctDeviceEventEmitter.emit(name, args)
  } catch (error) {
    console.error(`[taro-rn] ${name} listener threw: ${(error && error.stack) || error}`)
  }
}

// A fresh app with the bundle loaded. Its globals are what React Native's runtime sets up before
// the networking polyfills (timers, console, performance); btoa and atob are the harness's.
function loadedApp() {
  const context = {
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
    queueMicrotask,
    console: appConsole,
    performance: { now: () => performance.now() },
    btoa,
    atob,
  }
  vm.createContext(context)
  context.global = vm.runInContext('globalThis', context)
  // Native events arrive through RN's own RCTDeviceEventEmitter (which puts itself at
  // global.__rctDeviceEventEmitter), as the bridge delivers them.
  context.nativeModuleProxy = nativeModules((name, args) => deliver(context, name, args))
  bundle.runInContext(context)
  lendEncoder(context.__taroConformance)
  return context
}

// Each case gets a fresh app, made ahead of it (../lib/pool.js says why).
const pool = sandboxPool(loadedApp, 16)

async function runCase(testCase) {
  const context = pool.take()
  return context.__taroConformance.runCase(testCase)
}

async function start() {
  pool.fill()
  return {
    name: 'taro-rn',
    version: versions.taroRn,
    platform: 'rn',
    runtime: `react-native ${versions.reactNative} networking JavaScript (fetch, XMLHttpRequest, RCTNetworking.android) over a model of its Android NetworkingModule (OkHttp 4.9.2), node ${process.versions.node}`,
    // Taro's RN request has abort() and no interceptors; the H5 options are not its own, but
    // `timeout` is React Native's too (XMLHttpRequest's).
    capabilities: ['core', 'abort', 'timeout'],
    concurrency: 16,
  }
}

serve({ start, runCase, stop: async () => {} })
