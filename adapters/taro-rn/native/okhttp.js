// One call as OkHttp 4.9.2 (React Native 0.73's HTTP client on Android, gradle/libs.versions.toml)
// makes it, over node:http: the request line carries the url's path and query as given — no
// normalisation beyond the characters OkHttp's HttpUrl always percent-encodes — the headers are
// the caller's, in order, plus the ones OkHttp's BridgeInterceptor adds; redirects are followed
// as RetryAndFollowUpInterceptor does; a gzip body OkHttp asked for is decoded. Nothing here is
// about Taro or the suite.
'use strict'
const http = require('node:http')
const zlib = require('node:zlib')
const { readTunnel } = require('../../lib/tunnel')

// What OkHttp's IOExceptions say, for the causes a model can meet (the JavaScript side only
// learns that there was an error).
class CallError extends Error {
  constructor(message, { timeout = false } = {}) {
    super(message)
    this.timeout = timeout
  }
}

// HttpUrl's encode sets (okhttp3/HttpUrl.kt): characters always escaped in a path, a query.
const PATH_ESCAPES = ' "<>^`{}|\\'
const QUERY_ESCAPES = ' "\'<>'

function canonical(text, escapes) {
  let out = ''
  for (const ch of text) {
    const code = ch.codePointAt(0)
    if (code < 0x20 || code === 0x7f || code > 0x7e || escapes.includes(ch)) {
      for (const byte of Buffer.from(ch, 'utf8')) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
    } else {
      out += ch
    }
  }
  return out
}

// Request.Builder.url(String) and HttpUrl's parser, for what a call needs: scheme, host, port,
// and the request target (path and query as given, the fragment dropped). Throws what
// toHttpUrl() throws for a url it cannot take.
function parseUrl(url) {
  let text = String(url).trim()
  if (/^ws:/i.test(text)) text = 'http:' + text.slice(3)
  else if (/^wss:/i.test(text)) text = 'https:' + text.slice(4)
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(text)
  if (!match) throw new CallError(`Expected URL scheme 'http' or 'https' but no colon was found`)
  const scheme = match[1].toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') throw new CallError(`Expected URL scheme 'http' or 'https' but was '${match[1]}'`)
  const rest = match[2].replace(/^[/\\]*/, '')
  const authorityEnd = rest.search(/[/\\?#]/)
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)
  let target = authorityEnd === -1 ? '' : rest.slice(authorityEnd)
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1)
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort)
  const host = portMatch && portMatch[1].toLowerCase()
  if (!host) throw new CallError(`Invalid URL host: "${hostPort}"`)
  const defaultPort = scheme === 'https' ? 443 : 80
  const port = portMatch[2] ? Number(portMatch[2]) : defaultPort
  if (!(port > 0 && port < 65536)) throw new CallError(`Invalid URL port: "${portMatch[2]}"`)
  const hash = target.indexOf('#')
  if (hash !== -1) target = target.slice(0, hash)
  const question = target.indexOf('?')
  let path = question === -1 ? target : target.slice(0, question)
  const query = question === -1 ? null : target.slice(question + 1)
  path = canonical(path.replace(/\\/g, '/'), PATH_ESCAPES) || '/'
  if (!path.startsWith('/')) path = '/' + path
  return {
    scheme,
    host,
    port,
    // Host header: no port when it is the scheme's default (okhttp3/internal/Util.toHostHeader).
    hostHeader: port === defaultPort ? host : `${host}:${port}`,
    target: query === null ? path : `${path}?${canonical(query, QUERY_ESCAPES)}`,
    href: `${scheme}://${port === defaultPort ? host : `${host}:${port}`}${query === null ? path : `${path}?${canonical(query, QUERY_ESCAPES)}`}`,
  }
}

const lower = (name) => name.toLowerCase()
const headerValue = (pairs, name) => {
  const entry = pairs.find(([key]) => lower(key) === name)
  return entry ? entry[1] : undefined
}
// Request.Builder.header(): every header of that name out, this one in at the end.
const setHeader = (pairs, name, value) => [...pairs.filter(([key]) => lower(key) !== lower(name)), [name, value]]

// BridgeInterceptor (okhttp3/internal/http/BridgeInterceptor.kt): the headers a call adds.
function bridgeHeaders(url, headers, body) {
  let pairs = headers.slice()
  if (body) {
    if (body.contentType !== null) pairs = setHeader(pairs, 'Content-Type', body.contentType)
    pairs = setHeader(pairs, 'Content-Length', String(body.bytes.length))
    pairs = pairs.filter(([key]) => lower(key) !== 'transfer-encoding')
  }
  if (headerValue(pairs, 'host') === undefined) pairs.push(['Host', url.hostHeader])
  if (headerValue(pairs, 'connection') === undefined) pairs.push(['Connection', 'Keep-Alive'])
  // OkHttp asks for gzip, and then decodes it, unless the caller chose an encoding or a range.
  const transparentGzip = headerValue(pairs, 'accept-encoding') === undefined && headerValue(pairs, 'range') === undefined
  if (transparentGzip) pairs.push(['Accept-Encoding', 'gzip'])
  if (headerValue(pairs, 'user-agent') === undefined) pairs.push(['User-Agent', 'okhttp/4.9.2'])
  return { pairs, transparentGzip }
}

const pairsOf = (raw) => {
  const pairs = []
  for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]])
  return pairs
}

// One exchange on a fresh connection. Resolves { status, headers: [[name, value]], body: Buffer }.
function exchange({ method, url, headers, body, signal, onBodySent }) {
  return new Promise((resolve, reject) => {
    const { pairs, transparentGzip } = bridgeHeaders(url, headers, body)
    let settled = false
    const finish = (outcome, value) => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      outcome(value)
    }
    const fail = (error) => {
      finish(reject, explain(error, url))
      request.destroy()
    }
    let request
    try {
      request = http.request({
        host: url.host.replace(/^\[|\]$/g, ''),
        port: url.port,
        method,
        path: url.target,
        headers: pairs.flat(),
        setHost: false,
        agent: false,
        // Node must not decide framing: OkHttp sent Content-Length itself, or no body.
        joinDuplicateHeaders: false,
      })
    } catch (error) {
      return reject(new CallError(String(error.message)))
    }
    const collect = (response, head) => {
      let responseHeaders = pairsOf(response.rawHeaders)
      const chunks = head && head.length ? [head] : []
      response.on('data', (chunk) => chunks.push(chunk))
      response.on('end', () => {
        let bytes = Buffer.concat(chunks)
        // BridgeInterceptor decodes the gzip it asked for and drops the headers that described it.
        if (transparentGzip && lower(headerValue(responseHeaders, 'content-encoding') || '') === 'gzip' && bytes.length) {
          try {
            bytes = zlib.gunzipSync(bytes)
          } catch {
            return fail(new CallError('gzip finished without exhausting source'))
          }
          responseHeaders = responseHeaders.filter(([key]) => !['content-encoding', 'content-length'].includes(lower(key)))
        }
        finish(resolve, { status: response.statusCode, headers: responseHeaders, body: bytes })
        request.destroy()
      })
      response.on('error', fail)
      response.on('aborted', () => fail(new CallError('unexpected end of stream')))
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
    if (body && body.bytes.length) request.end(body.bytes, () => onBodySent && onBodySent(body.bytes.length))
    else request.end()
  })
}

// Node's errors in the words of the IOExceptions OkHttp raises for the same causes.
function explain(error, url) {
  if (error instanceof CallError) return error
  const code = error && error.code
  if (code === 'ECONNREFUSED') return new CallError(`Failed to connect to /${url.host}:${url.port}`)
  if (code === 'ECONNRESET' && /socket hang up/.test(error.message)) return new CallError(`unexpected end of stream on ${url.scheme}://${url.hostHeader}/...`)
  if (code === 'ECONNRESET' || code === 'EPIPE') return new CallError('Connection reset')
  if (typeof code === 'string' && code.startsWith('HPE_')) return new CallError('Unexpected status line')
  return new CallError(String((error && error.message) || error))
}

const MAX_FOLLOW_UPS = 20

// RetryAndFollowUpInterceptor.followUpRequest / buildRedirectRequest, for plain HTTP.
function followUp(request, response) {
  const location = headerValue(response.headers, 'location')
  if (![300, 301, 302, 303, 307, 308].includes(response.status) || !location) return null
  let next
  try {
    next = parseUrl(new URL(location, request.url.href).href)
  } catch {
    return null
  }
  let { method, body, headers } = request
  if (method !== 'GET' && method !== 'HEAD') {
    // HttpMethod.redirectsToGet: all but PROPFIND turn into a bodiless GET, except on 307 and 308,
    // which keep the method and the body.
    const maintainBody = method === 'PROPFIND' || response.status === 307 || response.status === 308
    if (!maintainBody) {
      method = 'GET'
      body = null
      headers = headers.filter(([key]) => !['transfer-encoding', 'content-length', 'content-type'].includes(lower(key)))
    }
  }
  // Credentials stay with their host.
  if (next.host !== request.url.host || next.port !== request.url.port || next.scheme !== request.url.scheme) {
    headers = headers.filter(([key]) => lower(key) !== 'authorization')
  }
  return { method, url: next, headers, body }
}

// A whole call: { method, url (parsed), headers: [[name, value]], body: {contentType, bytes}|null,
// callTimeoutMs, signal, onBodySent } -> { status, headers, body, url: final href }.
async function call({ method, url, headers, body, callTimeoutMs, signal, onBodySent }) {
  const controller = new AbortController()
  const onCancel = () => controller.abort(new CallError('Canceled'))
  if (signal.aborted) onCancel()
  else signal.addEventListener('abort', onCancel)
  // OkHttpClient.callTimeout: the whole call, redirects included (0: none).
  const timer = callTimeoutMs > 0 ? setTimeout(() => controller.abort(new CallError('timeout')), callTimeoutMs) : null
  try {
    let request = { method, url, headers, body }
    for (let followUps = 0; ; followUps++) {
      const response = await exchange({ ...request, signal: controller.signal, onBodySent })
      const next = followUp(request, response)
      if (!next) return { ...response, url: request.url.href }
      if (followUps + 1 > MAX_FOLLOW_UPS) throw new CallError(`Too many follow-up requests: ${followUps + 1}`)
      request = next
    }
  } finally {
    if (timer) clearTimeout(timer)
    signal.removeEventListener('abort', onCancel)
  }
}

module.exports = { call, parseUrl, CallError }
