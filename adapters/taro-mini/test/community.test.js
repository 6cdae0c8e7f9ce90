// The community platforms' models (lark, kwai, weapp-qy) on their own, against a local server:
// what Lark's page documents and the reuse MODELS.md states for Kuaishou and WeChat Work.
// Run: node --test test/
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const { platforms, nativeGlobal } = require('../models')
const { localServer } = require('../../lib/test-server')

const local = localServer((path, res) => {
  if (path === '/slow') return setTimeout(() => res.end('late'), 600)
  if (path === '/missing') return res.writeHead(404).end('gone')
  res.end('ok')
})
const seen = local.seen

// Calls a platform's native request; resolves with which callback ran and its argument.
function call(platform, options) {
  return new Promise((resolve) => {
    let outcome
    const task = nativeGlobal(platform).request({
      ...options,
      success: (res) => (outcome = { callback: 'success', res }),
      fail: (res) => (outcome = { callback: 'fail', res }),
      complete: () => resolve({ ...outcome, task }),
    })
  })
}

test('lark: the five documented methods are sent; OPTIONS, TRACE, CONNECT and PATCH fail and send nothing', async () => {
  for (const method of ['GET', 'POST', 'PUT', 'HEAD', 'DELETE']) {
    const { callback } = await call('lark', { url: `${local.origin}/`, method })
    assert.equal(callback, 'success', method)
    assert.equal(seen.at(-1).method, method)
  }
  for (const method of ['OPTIONS', 'TRACE', 'CONNECT', 'PATCH']) {
    const before = seen.length
    const { callback, res } = await call('lark', { url: `${local.origin}/`, method })
    assert.equal(callback, 'fail', method)
    assert.match(res.errMsg, /^request:fail parameter error/)
    assert.equal(seen.length, before, `${method} reached the server`)
  }
})

test("lark: a caller's Referer gives way to the documented tmaservice referer; a 404 is a success with errMsg", async () => {
  const { callback, res, task } = await call('lark', { url: `${local.origin}/missing`, header: { Referer: 'https://spoofed.invalid/' } })
  assert.equal(seen.at(-1).headers.referer, 'https://tmaservice.developer.toutiao.com/?appid=testappid&version=devtools')
  assert.equal(callback, 'success')
  assert.deepEqual([res.statusCode, res.data, res.errMsg], [404, 'gone', 'request:ok'])
  assert.deepEqual(Object.keys(task), ['abort'])
})

test('lark: no per-call timeout (the page names none): a slower reply still succeeds', async () => {
  const { callback, res } = await call('lark', { url: `${local.origin}/slow`, timeout: 100 })
  assert.equal(callback, 'success')
  assert.equal(res.data, 'late')
})

test("kwai is JD's WeChat-compatible model on `ks`; weapp-qy is WeChat's on `wx`, column qywx", async () => {
  assert.equal(platforms.kwai.profile, platforms.jd.profile)
  assert.equal(platforms.kwai.global, 'ks')
  assert.equal(platforms['weapp-qy'].profile, platforms.weapp.profile)
  assert.deepEqual([platforms['weapp-qy'].global, platforms['weapp-qy'].id], ['wx', 'qywx'])
  assert.deepEqual(nativeGlobal('weapp-qy').qy, {}) // WeChat Work's own namespace, present and empty
  assert.equal('qy' in nativeGlobal('weapp'), false)
  // And they behave so: WeChat's timeout and cookies on weapp-qy, JD's ignored timeout on kwai.
  const qy = await call('weapp-qy', { url: `${local.origin}/slow`, timeout: 100 })
  assert.deepEqual([qy.callback, qy.res.errMsg], ['fail', 'request:fail timeout'])
  const ks = await call('kwai', { url: `${local.origin}/slow`, timeout: 100, dataType: 'text' })
  assert.deepEqual([ks.callback, ks.res.data, 'cookies' in ks.res], ['success', 'late', false])
})
