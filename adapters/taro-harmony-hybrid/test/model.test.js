// The model on its own, against a local server: what @ohos.net.http (netstack) and the
// container's request do that the suite's cases do not reach through the plugin (HEAD's object
// query, PATCH, the default content-type, the header object, redirects, expectDataType, destroy),
// and the bridge's JSON and stubs. Needs nothing but Node. Run: node --test test/
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { createHttp, HttpDataType, encodeUrlParam } = require('../model/ohos-http')
const { requestTask } = require('../model/container')
const { installBridge } = require('../model/bridge')
const { localServer } = require('../../lib/test-server')

const local = localServer((path, res) => {
  if (path === '/json') return res.setHeader('content-type', 'application/json').end('{"a":1}')
  if (path === '/png') return res.setHeader('content-type', 'image/png').end(Buffer.from([1, 2, 3]))
  if (path === '/cookies') return res.writeHead(200, [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X-Empty', '']]).end('ok')
  if (path === '/hop') return res.writeHead(302, { location: '/json', 'x-hop': 'first' }).end()
  if (path === '/slow') return setTimeout(() => res.end('late'), 500)
  res.end('ok')
})
const seen = local.seen

const last = () => seen[seen.length - 1]
const call = (url, options) => createHttp().request(url, options)

test('a GET-like object extraData: strings only, empty ones left out, encoded but -._~', async () => {
  await call(`${local.origin}/q?z=0`, { method: 'HEAD', extraData: { a: 'x y!', n: 5, e: '', t: true } })
  assert.equal(last().url, '/q?z=0&a=x%20y%21')
  assert.equal(last().headers['content-type'], 'application/x-www-form-urlencoded')
  assert.equal(encodeUrlParam('-._~é'), '-._~%C3%A9')
})

test('a GET-like string extraData is appended as it is', async () => {
  await call(`${local.origin}/q`, { method: 'GET', extraData: 'a=1&b=%20' })
  assert.equal(last().url, '/q?a=1&b=%20')
})

test('POST: an object is JSON, content-type json by default only with a header object', async () => {
  await call(`${local.origin}/p`, { method: 'POST', extraData: { a: 1 }, header: { 'X-One': 1 } })
  assert.equal(last().body, '{"a":1}')
  assert.equal(last().headers['content-type'], 'application/json')
  assert.equal(last().headers['x-one'], '1')
  await call(`${local.origin}/p`, { method: 'POST', extraData: 'a=1' })
  assert.equal(last().headers['content-type'], 'application/x-www-form-urlencoded')
  assert.equal(last().headers['user-agent'], 'libcurl-agent/1.0')
})

test('PATCH is not supported: 401 with extraData, 2300999 without, nothing sent', async () => {
  const before = seen.length
  await assert.rejects(call(`${local.origin}/p`, { method: 'PATCH', extraData: {} }), { code: 401 })
  await assert.rejects(call(`${local.origin}/p`, { method: 'PATCH' }), { code: 2300999 })
  assert.equal(seen.length, before)
})

test('the header object: every hop, lower case, no empty values, set-cookie as an array', async () => {
  const hop = await call(`${local.origin}/hop`, {})
  assert.equal(hop.responseCode, 200)
  assert.equal(hop.header['x-hop'], 'first')
  assert.equal(hop.header['content-type'], 'application/json')
  const cookies = await call(`${local.origin}/cookies`, {})
  assert.deepEqual(cookies.header['set-cookie'], ['a=1', 'b=2'])
  assert.equal('x-empty' in cookies.header, false)
})

test('result by expectDataType, else an ArrayBuffer for image and octet-stream', async () => {
  const png = await call(`${local.origin}/png`, {})
  assert.equal(png.resultType, HttpDataType.ARRAY_BUFFER)
  assert.deepEqual([...new Uint8Array(png.result)], [1, 2, 3])
  const text = await call(`${local.origin}/png`, { expectDataType: HttpDataType.STRING })
  assert.equal(typeof text.result, 'string')
  const object = await call(`${local.origin}/json`, { expectDataType: HttpDataType.OBJECT })
  assert.deepEqual(object.result, { a: 1 })
})

test('errors: 2300000 + libcurl code; readTimeout bounds the exchange; destroy() delivers nothing', async () => {
  await assert.rejects(call('http://127.0.0.1:1/', {}), { code: 2300007 })
  await assert.rejects(call(`${local.origin}/slow`, { readTimeout: 100 }), { code: 2300028 })
  const request = createHttp()
  let delivered = false
  request.request(`${local.origin}/slow`, {}, () => (delivered = true))
  request.destroy()
  await new Promise((resolve) => setTimeout(resolve, 700))
  assert.equal(delivered, false)
})

// The container's RequestTask, called as the bridge would.
const task = (options) =>
  new Promise((resolve) => {
    const t = requestTask({ ...options, success: (r) => resolve(['success', r]), fail: (r) => resolve(['fail', r]) })
    if (options.abortAt) setTimeout(() => t.abort(), options.abortAt)
  })

test('the container: no dataType, JSON parsed unless responseType says otherwise', async () => {
  assert.deepEqual((await task({ url: `${local.origin}/json`, dataType: 'text' }))[1].data, { a: 1 })
  assert.equal((await task({ url: `${local.origin}/json`, responseType: 'text' }))[1].data, '{"a":1}')
  const bytes = (await task({ url: `${local.origin}/json`, responseType: 'arraybuffer' }))[1]
  assert.deepEqual([bytes.isArrayBuffer, bytes.data], [true, Buffer.from('{"a":1}').toString('base64')])
})

test('the container: data by for-in for GET-like methods and forms, {} when there is none', async () => {
  await task({ url: `${local.origin}/q`, method: 'DELETE', data: { a: 'x y' } })
  assert.deepEqual([last().url, last().body], ['/q', 'a=x%20y'])
  await task({ url: `${local.origin}/q`, method: 'GET', data: 'ab' })
  assert.equal(last().url, '/q?0=a&1=b')
  await task({ url: `${local.origin}/p`, method: 'POST' })
  assert.equal(last().body, '{}')
})

test('the container: its own timeout, its errMsg words, abort fails at once', async () => {
  assert.deepEqual(await task({ url: `${local.origin}/slow`, timeout: 100 }), ['fail', { errMsg: 'Timeout was reached' }])
  assert.deepEqual(await task({ url: 'http://127.0.0.1:1/' }), ['fail', { errMsg: 'Couldn not connect to server' }])
  assert.deepEqual(await task({ url: `${local.origin}/slow`, abortAt: 50 }), ['fail', { errMsg: 'request:fail abort' }])
})

test('the bridge: the first argument as JSON, its functions as stubs called later and released', async () => {
  const window = {}
  const got = []
  installBridge(window, {
    createInstance(option) {
      got.push(option)
      option.success({ n: 1 })
      option.success({ n: 2 })
      return 7
    },
  })
  const descriptor = window.MethodChannel.jsBridgeMode({ isAsync: false, autoRelease: true })({}, 'createInstance', { value: null })
  const calls = []
  let inside = true
  const id = descriptor.value({ buf: new ArrayBuffer(2), none: undefined, success: (r) => calls.push([r, inside]) }, 'dropped')
  inside = false
  assert.equal(id, 7)
  assert.deepEqual(Object.keys(got[0]).sort(), ['buf', 'success'])
  assert.deepEqual(got[0].buf, {})
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(calls, [[{ n: 1 }, false]])
})

test('the older headerReceive event calls back (err, header); an ArrayBuffer from another realm is bytes', async () => {
  const vm = require('node:vm')
  const request = createHttp()
  const heard = []
  request.on('headerReceive', (err, header) => heard.push([err, header['content-type']]))
  const bytes = vm.runInNewContext('new Uint8Array([0, 255]).buffer')
  await request.request(`${local.origin}/json`, { method: 'POST', extraData: bytes })
  assert.deepEqual(heard, [[undefined, 'application/json']])
  assert.equal(last().headers['content-length'], '2')
})
