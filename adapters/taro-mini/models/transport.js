// The network under every native model: real HTTP/1.1 exchanges with node:http, nothing decided
// about any platform. Redirects are followed and content-encodings decoded, as the native HTTP
// stacks under every mini-program do. Models turn the outcome into their own shapes.
'use strict'
const { readTunnel } = require('../../lib/tunnel')
const http = require('node:http')
const zlib = require('node:zlib')

// Why a request got no HTTP response, in words every model maps to its own codes.
const Failure = Object.freeze({
  invalidUrl: 'invalid url',
  refused: 'connection refused',
  reset: 'connection reset',
  closed: 'connection closed without a response',
  malformed: 'malformed response',
  timeout: 'timeout',
  aborted: 'abort',
  tooManyRedirects: 'too many redirects',
  other: 'network error',
})

class TransportError extends Error {
  constructor(kind, detail) {
    super(detail ? `${kind}: ${detail}` : kind)
    this.kind = kind
  }
}

function classify(error) {
  if (error instanceof TransportError) return error
  const code = error && error.code
  if (code === 'ECONNREFUSED') return new TransportError(Failure.refused)
  if (code === 'ECONNRESET' && /socket hang up/.test(error.message)) return new TransportError(Failure.closed)
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') return new TransportError(Failure.reset)
  if (typeof code === 'string' && code.startsWith('HPE_')) return new TransportError(Failure.malformed, code)
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return new TransportError(Failure.malformed, 'bad content-encoding')
  return new TransportError(Failure.other, code || (error && error.message))
}

// The value of header `name` (lower case) among [name, value] pairs, whatever its case there.
function headerValue(pairs, name) {
  const entry = pairs.find(([key]) => key.toLowerCase() === name)
  return entry ? String(entry[1]) : undefined
}

const pairsOf = (rawHeaders) => {
  const pairs = []
  for (let i = 0; i < rawHeaders.length; i += 2) pairs.push([rawHeaders[i], rawHeaders[i + 1]])
  return pairs
}

function decoded(body, rawHeaders) {
  switch ((headerValue(rawHeaders, 'content-encoding') || '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.gunzipSync(body)
    case 'deflate':
      return zlib.inflateSync(body)
    case 'br':
      return zlib.brotliDecompressSync(body)
    default:
      return body
  }
}

// One exchange, no redirects. `onHead(status, rawHeaders)` is told when the headers arrive.
function exchange({ method, url, headers, body, signal, onHead }) {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    let settled = false
    const finish = (outcome, value) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      outcome(value)
    }
    const fail = (error) => {
      finish(reject, classify(error))
      request.destroy()
    }
    const request = http.request({
      host: target.hostname,
      port: target.port || 80,
      method,
      // CONNECT names an authority; everything else a path with its query (never the fragment).
      path: method === 'CONNECT' ? target.host : target.pathname + target.search,
      // An explicit length: Node would otherwise send a DELETE's or OPTIONS's body unframed.
      headers: [...headers, ['Host', target.host], ...(body && body.length ? [['Content-Length', String(body.length)]] : [])].flat(),
      setHost: false,
      agent: false, // one connection per request: nothing pooled between cases
    })
    const collect = (response, head) => {
      const rawHeaders = pairsOf(response.rawHeaders)
      if (onHead) onHead(response.statusCode, rawHeaders)
      const chunks = head && head.length ? [head] : []
      response.on('data', (chunk) => chunks.push(chunk))
      response.on('end', () => {
        try {
          finish(resolve, { status: response.statusCode, rawHeaders, body: decoded(Buffer.concat(chunks), rawHeaders) })
        } catch (error) {
          fail(error)
        }
      })
      response.on('error', fail)
      response.on('aborted', () => fail(new TransportError(Failure.reset, 'body cut short')))
    }
    request.on('response', (response) => collect(response))
    // A CONNECT's answer comes as a tunnel: its body is read as any response's (../lib/tunnel.js).
    request.on('connect', (response, socket, head) => {
      const length = Number(headerValue(pairsOf(response.rawHeaders), 'content-length'))
      readTunnel({ response, socket, head, length, collect, fail })
    })
    request.on('error', fail)
    const onAbort = () => fail(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort)
    if (body && body.length) request.end(body)
    else request.end()
  })
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 10

// Sends a request, following redirects, and collects the whole response.
//   { method, url, headers: [[name, value]], body: Buffer|null, timeoutMs, signal, onHead }
//   -> { status, rawHeaders: [[name, value]], body: Buffer, url }
// Rejects with a TransportError whose `kind` is one of Failure. `signal` aborts it.
async function send({ method, url, headers, body, timeoutMs, signal, onHead }) {
  let target
  try {
    target = new URL(url)
  } catch {
    throw new TransportError(Failure.invalidUrl, String(url))
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TransportError(Failure.invalidUrl, String(url))
  // One controller for the whole exchange: the caller's abort and the timeout both end it.
  const controller = new AbortController()
  const onCallerAbort = () => controller.abort(new TransportError(Failure.aborted))
  if (signal) signal.addEventListener('abort', onCallerAbort)
  const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new TransportError(Failure.timeout)), timeoutMs) : null
  try {
    for (let hop = 0; ; hop++) {
      const response = await exchange({ method, url: target.href, headers, body, signal: controller.signal, onHead })
      const location = headerValue(response.rawHeaders, 'location')
      if (!REDIRECTS.has(response.status) || !location || method === 'CONNECT') return { ...response, url: target.href }
      if (hop === MAX_REDIRECTS) throw new TransportError(Failure.tooManyRedirects)
      target = new URL(location, target)
      // As browsers and the native stacks do: 303 (and 301/302 after POST) turn into a GET.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET'
        body = null
        headers = headers.filter(([name]) => !/^content-(type|length)$/i.test(name))
      }
    }
  } finally {
    clearTimeout(timer)
    if (signal) signal.removeEventListener('abort', onCallerAbort)
  }
}

module.exports = { send, headerValue, Failure, TransportError }
