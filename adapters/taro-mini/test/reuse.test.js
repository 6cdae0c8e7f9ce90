// An app reused for the next case (../sandbox.js) shows that case nothing of the previous one: a
// case leaves behind, on purpose, every kind of state it can reach — globals, timers, an
// interceptor, a request still under way with its callbacks — and the next case in the same app
// sees none of it. The same leftovers without the reset are all seen, so each look can fail.
// Needs the platforms' bundles (`taro-conformance setup taro-weapp`, …); skips those not built.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')
const vm = require('node:vm')
const { platforms } = require('../models')
const { miniApp } = require('../sandbox')

let server
let origin
const held = [] // responses of /hold, answered by release()
const seen = [] // request headers the server saw, by path
let arrived = null // resolves when /hold's request has arrived

test.before(async () => {
  server = http.createServer((req, res) => {
    seen.push({ path: req.url, headers: req.headers })
    if (req.url === '/hold') {
      held.push(res)
      if (arrived) arrived()
      return
    }
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${server.address().port}`
})

test.after(() => {
  for (const res of held.splice(0)) res.end()
  server.close()
})

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// The previous case: leaves every kind of state behind, then ends (as the harness's runCase
// returns) with its request still under way. `heard` collects, in Node, what its callbacks and
// interceptor heard after the end.
async function leaveEverythingBehind(app, platformGlobal, heard) {
  const requestArrived = new Promise((resolve) => (arrived = resolve))
  vm.runInContext(
    `(function (heard, url) {
      globalThis.leftGlobal = 'left'
      globalThis.getCurrentPages = () => ['left']
      delete globalThis.atob
      ${platformGlobal}.leftProperty = 'left'
      TaroUnderTest.leftProperty = 'left'
      TaroUnderTest.cleanInterceptors = function leftBehind() { heard.push('a replaced cleanInterceptors') }
      setTimeout(() => { globalThis.timerRan = true; heard.push('timeout') }, 100)
      setInterval(() => { globalThis.intervalRan = true; heard.push('interval') }, 100)
      TaroUnderTest.addInterceptor((chain) => {
        heard.push('interceptor')
        chain.requestParams.header = Object.assign({}, chain.requestParams.header, { 'x-left-behind': '1' })
        return chain.proceed(chain.requestParams)
      })
      TaroUnderTest.request({
        url,
        success: () => heard.push('success'),
        fail: () => heard.push('fail'),
        complete: () => heard.push('complete'),
      }).then(() => heard.push('resolved'), () => heard.push('rejected'))
    })`,
    app.context,
  )(heard, `${origin}/hold`)
  await requestArrived
  // The case ends: from here on, whatever is heard, it is heard in the next case's time.
  heard.length = 0
}

// What the next case finds of the previous one, looking before its own work and while its own
// request runs: a list of findings, empty when it finds nothing.
async function lookForLeftovers(app, platformGlobal, heard) {
  const found = []
  const look = (code) => vm.runInContext(code, app.context)
  if (look('typeof leftGlobal') !== 'undefined') found.push('a global it added')
  if (look('getCurrentPages().length') !== 0) found.push('a global it changed')
  if (look('typeof atob') !== 'function') found.push('a global it removed')
  if (look(`${platformGlobal}.leftProperty`) !== undefined) found.push('a property of the platform global')
  if (look('TaroUnderTest.leftProperty') !== undefined) found.push('a property of Taro')
  if (look('TaroUnderTest.cleanInterceptors.name') === 'leftBehind') found.push('a method of Taro replaced')
  if (app.timers.pending) found.push('timers still scheduled')
  // The previous case's request answers now, while the next case makes its calls: first one of
  // its own, straight to Taro (the harness cleans the chain itself: only the reset does here),
  // then one through the harness, as a case.
  for (const res of held.splice(0)) res.end('late')
  const before = seen.length
  await look('TaroUnderTest.request')({ url: `${origin}/echo` }).catch(() => {})
  const direct = seen.slice(before).find((r) => r.path === '/echo')
  if (direct && direct.headers['x-left-behind']) found.push('the interceptor is still in the chain')
  const result = await app.harness.runCase({
    interceptors: [],
    before: [],
    call: { url: `${origin}/echo` },
    actions: [],
    deadlineMs: 2000,
  })
  if (result.settled !== 'resolved') found.push(`its own call ${result.settled}`)
  const own = seen.slice(before).filter((r) => r.path === '/echo')[1]
  if (own && own.headers['x-left-behind']) found.push('the interceptor ran on its case')
  await wait(250) // two rounds of the timers' 100 ms
  if (look('typeof timerRan') !== 'undefined' || look('typeof intervalRan') !== 'undefined') found.push('a timer ran')
  for (const what of new Set(heard)) found.push(`heard: ${what}`)
  return found
}

const built = Object.keys(platforms).filter((name) => fs.existsSync(path.join(__dirname, '..', 'dist', name, 'taro.js')))
const bundleOf = (name) => new vm.Script(fs.readFileSync(path.join(__dirname, '..', 'dist', name, 'taro.js'), 'utf8'))

test('the bundles are built', { skip: built.length ? false : 'no dist/NAME/taro.js: run `taro-conformance setup taro-weapp` first' }, () => {})

for (const name of built) {
  const platformGlobal = platforms[name].global

  test(`${name}: the next case in a reset app sees nothing the previous one left behind`, async (t) => {
    const app = miniApp(name, bundleOf(name))
    // Whatever the outcome, no interval left to keep the test's process alive.
    t.after(() => app.timers.clearAll())
    const heard = []
    await leaveEverythingBehind(app, platformGlobal, heard)
    app.reset()
    assert.deepEqual(await lookForLeftovers(app, platformGlobal, heard), [])
    // Reset again and used again: still clean.
    app.reset()
    assert.deepEqual(await lookForLeftovers(app, platformGlobal, heard), [])
  })

  test(`${name}: without the reset, the next case sees every leftover (each look can fail)`, async (t) => {
    const app = miniApp(name, bundleOf(name))
    t.after(() => app.timers.clearAll())
    const heard = []
    await leaveEverythingBehind(app, platformGlobal, heard)
    const found = await lookForLeftovers(app, platformGlobal, heard)
    for (const expected of [
      'a global it added',
      'a global it changed',
      'a global it removed',
      'a property of the platform global',
      'a property of Taro',
      'a method of Taro replaced',
      'timers still scheduled',
      'the interceptor is still in the chain',
      'a timer ran',
      'heard: interceptor',
      'heard: success',
      'heard: complete',
      'heard: resolved',
      'heard: timeout',
      'heard: interval',
    ]) {
      assert.ok(found.includes(expected), `expected to find "${expected}" without the reset; found ${JSON.stringify(found)}`)
    }
  })

  test(`${name}: an app with no storage to leave: the model has none, so Taro has no storage API`, () => {
    const app = miniApp(name, bundleOf(name))
    const look = (code) => vm.runInContext(code, app.context)
    assert.equal(look('typeof TaroUnderTest.setStorage'), 'undefined')
    assert.equal(look('typeof TaroUnderTest.setStorageSync'), 'undefined')
    assert.deepEqual([...look(`Object.keys(${platformGlobal}).filter((k) => /storage|cookie/i.test(k))`)], [])
  })
}
