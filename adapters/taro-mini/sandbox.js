// One platform's mini-program app: a Node vm context (like a mini-program's JavaScript engine: no
// DOM, no fetch) whose platform global (`wx`, `my`, …) holds the native model, defined before
// the bundle loads, because Taro reads the global's keys once at load.
//
// Loading the bundle costs about 8 ms of CPU (a quarter of it @tarojs/runtime's initStyle), so an
// app is reused for case after case, and reset() between two undoes everything a case can leave
// behind in it:
//   - requests still under way: the model retires them, so no callback of theirs reaches the app
//     (their exchanges with the servers go on, in Node, as they would in a discarded app);
//   - timers: the app's timer functions keep count, and those still scheduled are cleared;
//   - interceptors: Taro's chain is cleaned (Taro.cleanInterceptors, which makes a new one);
//   - globals: the own properties of the app's global object, of the platform global and of the
//     Taro object are put back as they were after the bundle loaded.
// Storage: the models have none (no setStorage, no cookies), so Taro has no storage API here.
// Nothing else of the app is reachable from a case: the harness only adds interceptors, calls
// Taro.request and aborts its task. test/reuse.test.js leaves each of these behind and shows the
// next case sees none of them.
'use strict'
const vm = require('node:vm')
const { lendEncoder } = require('../lib/protocol')
const { trackedTimers, ownState } = require('../lib/sandbox')
const { platforms, nativeModel } = require('./models')

// An app of platform `name` with `bundle` (a vm.Script of dist/NAME/taro.js) loaded:
// { context, harness, reset() }. reset() throws when it cannot put the app back (ownState).
function miniApp(name, bundle) {
  const platform = platforms[name]
  // The harness hears what the layer passes the native API (client.native); it loads with the
  // bundle, after the global is made.
  let harness = null
  const native = nativeModel(name, (options) => harness && harness.nativeCall(options))
  const timers = trackedTimers()
  // Its globals are what a mini-program's JavaScript engine offers besides the language — timers
  // and a console — plus the platform global; the harness also needs performance, btoa and atob.
  const context = {
    [platform.global]: native.global,
    getCurrentPages: () => [],
    getApp: () => ({}),
    requirePlugin: () => ({}),
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    setInterval: timers.setInterval,
    clearInterval: timers.clearInterval,
    console: { log: console.error, info: console.error, warn: console.error, error: console.error, debug: console.error },
    performance,
    btoa,
    atob,
  }
  // Alipay's layer reads the user agent to tell the client apart.
  if (name === 'alipay') context.navigator = { userAgent: 'AlipayClient (taro-conformance model)' }
  vm.createContext(context)
  // Taro's builds for mini-programs name the global object `global`, as webpack provides it.
  const global = vm.runInContext('globalThis', context)
  context.global = global
  bundle.runInContext(context)
  harness = context.__taroConformance
  lendEncoder(harness)
  const taro = context.TaroUnderTest
  const restorers = [ownState(global), ownState(native.global), ownState(taro)]
  function reset() {
    native.retire()
    timers.clearAll()
    for (const restore of restorers) restore()
    // A layer without it cannot be reused: the pool then makes a fresh app.
    if (typeof taro.cleanInterceptors !== 'function') throw new Error('this Taro has no cleanInterceptors')
    taro.cleanInterceptors()
  }
  return { context, harness, timers, reset }
}

module.exports = { miniApp }
