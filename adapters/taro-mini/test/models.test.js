// The native models on their own, against a local server: the documented behaviours the suite's
// cases do not reach through Taro's layer (Alipay's strict json and base64, charsets, redirects,
// timeouts, header events), and the choices MODELS.md names. Run: node --test test/
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { nativeGlobal } = require('../models')
const { localServer } = require('../../lib/test-server')

const local = localServer((path, res) => {
  if (path === '/text') return res.end('not json')
  if (path === '/json') return res.setHeader('content-type', 'application/json').end('{"a":1}')
  if (path === '/latin1') return res.setHeader('content-type', 'text/plain; charset=iso-8859-1').end(Buffer.from([0x63, 0x61, 0x66, 0xe9]))
  if (path === '/png') return res.setHeader('content-type', 'image/png').end(Buffer.from([1, 2, 3]))
  if (path === '/see-other') return res.writeHead(303, { location: '/json' }).end()
  if (path === '/missing') return res.writeHead(404).end('gone')
  if (path === '/created') return res.writeHead(201).end('made')
  if (path === '/slow') return setTimeout(() => res.end('late'), 1000)
  res.end('ok')
})
const seen = local.seen

// Calls a platform's native request; resolves with which callback ran, its argument and whether
// complete followed with the same object.
function call(platform, options) {
  return new Promise((resolve) => {
    let outcome
    const task = nativeGlobal(platform).request({
      ...options,
      success: (res) => (outcome = { callback: 'success', res }),
      fail: (res) => (outcome = { callback: 'fail', res }),
      complete: (res) => resolve({ ...outcome, completeSame: res === outcome.res, task }),
    })
    if (options.onTask) options.onTask(task)
  })
}

test('wx: success carries statusCode, header, cookies and errMsg request:ok; a 404 is a success', async () => {
  const { callback, res, completeSame } = await call('weapp', { url: `${local.origin}/missing` })
  assert.equal(callback, 'success')
  assert.equal(completeSame, true)
  assert.equal(res.statusCode, 404)
  assert.equal(res.data, 'gone')
  assert.equal(res.errMsg, 'request:ok')
  assert.deepEqual(res.cookies, [])
})

test('wx: a caller Referer is replaced by the fixed servicewechat.com referer', async () => {
  await call('weapp', { url: `${local.origin}/ref`, header: { Referer: 'https://spoofed.invalid/' } })
  assert.equal(seen.at(-1).headers.referer, 'https://servicewechat.com/touristappid/devtools/page-frame.html')
})

test('wx: timeout fails with request:fail timeout; qq ignores a per-call timeout', async () => {
  const wx = await call('weapp', { url: `${local.origin}/slow`, timeout: 100 })
  assert.equal(wx.callback, 'fail')
  assert.equal(wx.res.errMsg, 'request:fail timeout')
  const qq = await call('qq', { url: `${local.origin}/slow`, timeout: 100, dataType: 'text' })
  assert.equal(qq.callback, 'success')
  assert.equal(qq.res.data, 'late')
})

test('wx: abort fails with request:fail abort, once', async () => {
  const result = await call('weapp', { url: `${local.origin}/slow`, onTask: (task) => setTimeout(() => task.abort(), 50) })
  assert.equal(result.callback, 'fail')
  assert.equal(result.res.errMsg, 'request:fail abort')
})

test('wx: onHeadersReceived hears the status and headers before success', async () => {
  const heard = []
  const result = await call('weapp', { url: `${local.origin}/json`, onTask: (task) => task.onHeadersReceived((e) => heard.push(e)) })
  assert.equal(result.callback, 'success')
  assert.equal(heard.length, 1)
  assert.equal(heard[0].statusCode, 200)
  assert.equal(heard[0].header['content-type'], 'application/json')
})

test('a lower-case method is refused with a parameter error, and nothing is sent', async () => {
  const before = seen.length
  const { callback, res } = await call('weapp', { url: `${local.origin}/m`, method: 'post' })
  assert.equal(callback, 'fail')
  assert.match(res.errMsg, /^request:fail parameter error/)
  assert.equal(seen.length, before)
})

test('text in the charset its content-type names; 303 is followed as a GET', async () => {
  assert.equal((await call('weapp', { url: `${local.origin}/latin1` })).res.data, 'café')
  const redirected = await call('weapp', { url: `${local.origin}/see-other`, method: 'POST', data: { a: 1 } })
  assert.deepEqual(redirected.res.data, { a: 1 })
  assert.equal(seen.at(-1).method, 'GET')
})

test('tt: User-Agent cannot be set; PATCH is a method', async () => {
  await call('tt', { url: `${local.origin}/ua`, method: 'PATCH', header: { 'User-Agent': 'mine' } })
  assert.equal(seen.at(-1).method, 'PATCH')
  assert.match(seen.at(-1).headers['user-agent'], /ToutiaoMicroApp/)
})

test('swan: no errMsg on success; ArrayBuffer data refused with errCode 201', async () => {
  const ok = await call('swan', { url: `${local.origin}/json` })
  assert.deepEqual(Object.keys(ok.res).sort(), ['data', 'header', 'statusCode'])
  const refused = await call('swan', { url: `${local.origin}/b`, method: 'POST', data: new ArrayBuffer(2) })
  assert.equal(refused.callback, 'fail')
  assert.equal(refused.res.errCode, 201)
})

test('my: headers/status in and out; json_or_text by default; json strict is error 14', async () => {
  const plain = await call('alipay', { url: `${local.origin}/text`, headers: { 'x-a': '1' } })
  assert.equal(plain.callback, 'success')
  assert.deepEqual(Object.keys(plain.res).sort(), ['data', 'headers', 'status'])
  assert.equal(plain.res.data, 'not json')
  assert.equal(seen.at(-1).headers['x-a'], '1')
  const strict = await call('alipay', { url: `${local.origin}/text`, dataType: 'json' })
  assert.equal(strict.callback, 'fail')
  assert.equal(strict.res.error, 14)
  assert.equal(strict.res.errorMessage, 'JSON parse data error')
})

test('my: base64 is a data URI; 4xx is error 19 with the response; abort is error 9', async () => {
  assert.equal((await call('alipay', { url: `${local.origin}/png`, dataType: 'base64' })).res.data, 'data:image/png;base64,AQID')
  const missing = await call('alipay', { url: `${local.origin}/missing` })
  assert.equal(missing.callback, 'fail')
  assert.deepEqual([missing.res.error, missing.res.status, missing.res.data], [19, 404, 'gone'])
  const aborted = await call('alipay', { url: `${local.origin}/slow`, onTask: (task) => setTimeout(() => task.abort(), 50) })
  assert.deepEqual([aborted.res.error, aborted.res.errorMessage], [9, 'request:fail abort'])
})

test('field evidence: swan parses any dataType but string; my fails any status but 200 and writes GET values by String()', async () => {
  assert.deepEqual((await call('swan', { url: `${local.origin}/json`, dataType: 'text' })).res.data, { a: 1 })
  assert.equal((await call('swan', { url: `${local.origin}/json`, dataType: 'string' })).res.data, '{"a":1}')
  assert.equal((await call('weapp', { url: `${local.origin}/json`, dataType: 'text' })).res.data, '{"a":1}')
  const created = await call('alipay', { url: `${local.origin}/created` })
  assert.deepEqual([created.callback, created.res.error, created.res.status], ['fail', 19, 201])
  assert.equal((await call('weapp', { url: `${local.origin}/created` })).callback, 'success')
  await call('alipay', { url: `${local.origin}/q`, data: { o: { a: 1 }, l: [1, 2] } })
  assert.equal(seen.at(-1).url, '/q?o=%5Bobject%20Object%5D&l=1%2C2')
  await call('weapp', { url: `${local.origin}/q`, data: { o: { a: 1 }, l: [1, 2] } })
  assert.equal(seen.at(-1).url, '/q?o=%7B%22a%22%3A1%7D&l=%5B1%2C2%5D')
})

test('a CONNECT answer is read whole, its body even when it comes after the head', async () => {
  const net = require('node:net')
  const raw = net.createServer((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok"')
      setTimeout(() => socket.write(':true}'), 50)
    })
  })
  await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve))
  try {
    const { callback, res } = await call('tt', { url: `http://127.0.0.1:${raw.address().port}/m`, method: 'CONNECT' })
    assert.equal(callback, 'success')
    assert.deepEqual(res.data, { ok: true })
  } finally {
    raw.close()
  }
})

test('callbacks never run inside request()', () => {
  let ran = false
  nativeGlobal('weapp').request({ complete: () => (ran = true) })
  assert.equal(ran, false)
})
