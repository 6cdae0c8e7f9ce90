// The jsdom runner: each case in a fresh jsdom window with an adapter's bundle loaded (a Taro
// package's request and harness.js, as bundle.js builds it), for platforms whose runtime is a
// page and for machines without a browser.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { pageOrigin, lendEncoder, PAGE_HTML, PAGE_PATH } = require('./protocol')

// Runs each case in a fresh jsdom window holding the script at `bundlePath` (the Taro module plus
// harness.js), compiled once. jsdom comes from the calling adapter's own node_modules.
//
// `installGlobals(window, testCase)`, when given, runs in each fresh window before the bundle
// does: it puts there what the platform's runtime would (a native bridge object, a platform
// global), because a Taro package may read such globals once, as it loads. It is synchronous;
// what it installs comes from Node's realm, which the harness allows for (it tells types by
// their tags).
//
// Making a window and loading the bundle into it is synchronous work of several milliseconds.
// Done for a burst of arriving cases at once, it would hold the event loop long enough for a
// case's `abort` at 100 ms to fire before its request has left. So windows are made one per
// turn of the event loop: between two, the requests already started get written.
function jsdomRunner({ JSDOM, VirtualConsole }, bundlePath, { installGlobals } = {}) {
  const bundle = new vm.Script(fs.readFileSync(bundlePath, 'utf8'), { filename: path.basename(bundlePath) })
  const waiting = []
  const makeNext = () => {
    const { testCase, resolve, reject } = waiting.shift()
    try {
      resolve(openWindow(testCase))
    } catch (error) {
      reject(error)
    }
    if (waiting.length) setImmediate(makeNext)
  }
  const windowFor = (testCase) =>
    new Promise((resolve, reject) => {
      waiting.push({ testCase, resolve, reject })
      if (waiting.length === 1) setImmediate(makeNext)
    })
  function openWindow(testCase) {
    const virtualConsole = new VirtualConsole()
    virtualConsole.on('jsdomError', (error) => console.error(`[jsdom] ${error.message}`))
    const dom = new JSDOM(PAGE_HTML, {
      url: pageOrigin(testCase) + PAGE_PATH,
      runScripts: 'dangerously', // JSONP's <script> tags run
      resources: 'usable', // and are fetched
      virtualConsole,
    })
    try {
      for (const [url, jar] of Object.entries((testCase.page && testCase.page.cookies) || {})) {
        for (const [name, value] of Object.entries(jar)) dom.cookieJar.setCookieSync(`${name}=${value}`, url)
      }
      if (installGlobals) installGlobals(dom.window, testCase)
      bundle.runInContext(dom.getInternalVMContext())
      lendEncoder(dom.window.__taroConformance)
      return dom
    } catch (error) {
      dom.window.close()
      throw error
    }
  }
  return async function runCase(testCase) {
    const dom = await windowFor(testCase)
    try {
      return await dom.window.__taroConformance.runCase(testCase)
    } finally {
      dom.window.close()
    }
  }
}

module.exports = { jsdomRunner }
