// The adapter side of protocol v1 (docs/protocol.md), shared by the adapters that run published
// Taro packages: read one JSON message per line on stdin, answer on stdout, log to stderr.
// No dependencies: adapters that need jsdom or playwright bring their own.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const readline = require('node:readline')
const vm = require('node:vm')

function serve({ start, runCase, stop }) {
  const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')
  readline.createInterface({ input: process.stdin }).on('line', async (line) => {
    let message
    try {
      message = JSON.parse(line)
    } catch {
      console.error(`ignored a line that is not JSON: ${line}`)
      return
    }
    if (message.type === 'start') {
      try {
        send({ type: 'ready', protocol: 1, ...(await start()) })
      } catch (error) {
        console.error(String((error && error.message) || error))
        process.exit(1)
      }
    } else if (message.type === 'run') {
      runCase(message.case).then(
        (result) => send({ seq: message.seq, result }),
        (error) => send({ seq: message.seq, errored: { message: String((error && error.stack) || error) } }),
      )
    } else if (message.type === 'stop') {
      await stop()
      process.exit(0)
    }
  })
}

// The origin the page of a case lives at: the one the case names, otherwise the origin of the
// call's url (the app's own server), otherwise a placeholder nothing listens on.
function pageOrigin(testCase) {
  if (testCase.page) return testCase.page.origin
  const url = typeof testCase.call === 'string' ? testCase.call : testCase.call.url
  try {
    return new URL(url).origin
  } catch {
    return 'http://127.0.0.1:9'
  }
}

// A blank page; the icon link keeps the browser from asking the origin for /favicon.ico.
const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body></body></html>'

// The page's own path: no stub uses it, so the page never shadows a stubbed url.
const PAGE_PATH = '/__taro-conformance/page.html'

// Runs each case in a fresh jsdom window holding the script at `bundlePath` (the Taro module plus
// harness.js), compiled once. jsdom comes from the calling adapter's own node_modules.
//
// Making a window and loading the bundle into it is synchronous work of several milliseconds.
// Done for a burst of arriving cases at once, it would hold the event loop long enough for a
// case's `abort` at 100 ms to fire before its request has left. So windows are made one per
// turn of the event loop: between two, the requests already started get written.
function jsdomRunner({ JSDOM, VirtualConsole }, bundlePath) {
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

// Gives the harness in a page or sandbox that Node hosts Node's own base64 encoder, which is
// native: the harness's by hand costs about 0.3 s of CPU for a 5 MiB body.
function lendEncoder(harness) {
  harness.toBase64 = (buffer) => Buffer.from(buffer).toString('base64')
}

module.exports = { serve, pageOrigin, jsdomRunner, lendEncoder, PAGE_HTML, PAGE_PATH }
