// The native models on their own, against a local server: what React Native's Android
// NetworkingModule, OkHttp and the blob modules do (MODELS.md) that the suite's cases do not
// reach through Taro RN and whatwg-fetch. Run: node --test test/
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const http = require('node:http')
const zlib = require('node:zlib')
const { nativeModules } = require('../native')

let server
let origin
let seen = []

test.before(async () => {
  server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, raw: req.rawHeaders, body: Buffer.concat(chunks) })
      const path = req.url.split('?')[0]
      if (path === '/bom') return res.setHeader('content-type', 'application/json').end(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))
      if (path === '/gzip') return res.setHeader('content-encoding', 'gzip').end(zlib.gzipSync('zipped'))
      if (path === '/see-other') return res.writeHead(303, { location: '/ok' }).end()
      if (path === '/temporary') return res.writeHead(307, { location: '/ok' }).end()
      if (path === '/slow') return setTimeout(() => res.end('late'), 2000)
      res.end('ok')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${server.address().port}`
})

test.after(() => server.close())

// Sends one request through a fresh app's Networking module; resolves with the events it emitted
// (by name) once didCompleteNetworkResponse arrives, and what the server saw.
function send({ method = 'GET', url, headers = [], data = {}, responseType = 'text', incremental = false, timeout = 0, abortAfterMs }) {
  seen = []
  return new Promise((resolve) => {
    const events = {}
    const modules = nativeModules((name, args) => {
      events[name] = args
      if (name === 'didCompleteNetworkResponse') setTimeout(() => resolve({ events, seen: seen.slice(), modules }), 20)
    })
    modules.BlobModule.addNetworkingHandler()
    modules.Networking.sendRequest(method, url, 1, headers, { ...data, trackingName: 'unknown' }, responseType, incremental, timeout, true)
    if (abortAfterMs !== undefined) setTimeout(() => modules.Networking.abortRequest(1), abortAfterMs)
  })
}

test('the url goes out as given: a trailing ? stays, the fragment does not', async () => {
  const { seen } = await send({ url: `${origin}/q?#frag` })
  assert.equal(seen[0].url, '/q?')
})

test('only what HttpUrl always escapes is percent-encoded', async () => {
  const { seen } = await send({ url: `${origin}/a b?x=%7c|é` })
  assert.equal(seen[0].url, '/a%20b?x=%7c|%C3%A9')
})

test('a scheme other than http(s) is the request error', async () => {
  const { events, seen } = await send({ url: 'ftp://127.0.0.1/x' })
  assert.equal(seen.length, 0)
  assert.deepEqual(events.didCompleteNetworkResponse, [1, "Expected URL scheme 'http' or 'https' but was 'ftp'"])
})

test('OkHttp adds Host, Connection, Accept-Encoding and User-Agent after the caller headers', async () => {
  const { seen } = await send({ url: `${origin}/h`, headers: [['x-a', '1']] })
  assert.deepEqual(seen[0].raw, ['x-a', '1', 'Host', origin.slice(7), 'Connection', 'Keep-Alive', 'Accept-Encoding', 'gzip', 'User-Agent', 'okhttp/4.9.2'])
})

test('header values lose non-ASCII characters; content-encoding goes without a string body', async () => {
  const { seen } = await send({ url: `${origin}/h`, headers: [['x-name', '张三 ok'], ['content-encoding', 'gzip']] })
  assert.equal(seen[0].headers['x-name'], 'ok')
  assert.equal(seen[0].headers['content-encoding'], undefined)
})

test('a string body without content-type fails before anything is sent', async () => {
  const { events, seen } = await send({ method: 'POST', url: `${origin}/p`, data: { string: '{}' } })
  assert.equal(seen.length, 0)
  assert.deepEqual(events.didCompleteNetworkResponse, [1, 'Payload is set but no content-type header specified'])
})

test('a base64 body is sent as its bytes, typed by the content-type', async () => {
  const { seen } = await send({ method: 'POST', url: `${origin}/p`, headers: [['content-type', 'application/octet-stream']], data: { base64: 'AAEC/w==' } })
  assert.deepEqual([...seen[0].body], [0, 1, 2, 255])
  assert.equal(seen[0].headers['content-type'], 'application/octet-stream')
  assert.equal(seen[0].headers['content-length'], '4')
})

test('a POST without data sends an empty body with Content-Length 0; a DELETE none', async () => {
  let { seen } = await send({ method: 'POST', url: `${origin}/p` })
  assert.equal(seen[0].headers['content-length'], '0')
  ;({ seen } = await send({ method: 'DELETE', url: `${origin}/p` }))
  assert.equal(seen[0].headers['content-length'], undefined)
})

test('303 turns a POST into a GET without its body; 307 keeps both', async () => {
  let { seen } = await send({ method: 'POST', url: `${origin}/see-other`, headers: [['content-type', 'text/plain']], data: { string: 'x' } })
  assert.deepEqual(seen.map((r) => [r.method, r.body.toString()]), [['POST', 'x'], ['GET', '']])
  ;({ seen } = await send({ method: 'POST', url: `${origin}/temporary`, headers: [['content-type', 'text/plain']], data: { string: 'x' } }))
  assert.deepEqual(seen.map((r) => [r.method, r.body.toString()]), [['POST', 'x'], ['POST', 'x']])
})

test('a blob response is stored whole and answered without a type; readAsText keeps a BOM', async () => {
  const { events, modules } = await send({ url: `${origin}/bom`, responseType: 'blob' })
  const blob = events.didReceiveNetworkData[1]
  assert.deepEqual(Object.keys(blob).sort(), ['blobId', 'offset', 'size'])
  assert.equal(blob.size, 5)
  assert.equal(await modules.FileReaderModule.readAsText(blob, 'utf-8'), '\ufeff{}')
  assert.equal(await modules.FileReaderModule.readAsDataURL(blob), 'data:application/octet-stream;base64,77u/e30=')
})

test('a text response drops a BOM; gzip is decoded whether OkHttp asked for it or not', async () => {
  let { events } = await send({ url: `${origin}/bom` })
  assert.equal(events.didReceiveNetworkData[1], '{}')
  ;({ events } = await send({ url: `${origin}/gzip` }))
  assert.equal(events.didReceiveNetworkData[1], 'zipped')
  assert.equal(events.didReceiveNetworkResponse[2]['content-encoding'], undefined)
  ;({ events } = await send({ url: `${origin}/gzip`, headers: [['accept-encoding', 'gzip']] }))
  assert.equal(events.didReceiveNetworkData[1], 'zipped')
  assert.equal(events.didReceiveNetworkResponse[2]['content-encoding'], 'gzip')
})

test('the timeout is the whole call; an abort cancels it', async () => {
  let { events } = await send({ url: `${origin}/slow`, timeout: 100 })
  assert.deepEqual(events.didCompleteNetworkResponse, [1, 'timeout'])
  ;({ events } = await send({ url: `${origin}/slow`, abortAfterMs: 100 }))
  assert.deepEqual(events.didCompleteNetworkResponse, [1, 'Canceled'])
  assert.equal(events.didReceiveNetworkResponse, undefined)
})

test('a CONNECT answer is read as any response, its body whole even when it comes after the head', async () => {
  const net = require('node:net')
  const raw = net.createServer((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok"')
      setTimeout(() => socket.write(':true}'), 50)
    })
  })
  await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve))
  try {
    const { events } = await send({ method: 'CONNECT', url: `http://127.0.0.1:${raw.address().port}/m` })
    assert.equal(events.didReceiveNetworkResponse[1], 200)
    assert.equal(events.didReceiveNetworkData[1], '{"ok":true}')
  } finally {
    raw.close()
  }
})
