// A model of HarmonyOS's `@ohos.net.http` (Network Kit): `http.createHttp()` and its
// `request(url, options, callback)`, `on('headersReceive')` and `destroy()`, written from the API
// reference and from netstack, the system component that implements it over libcurl (MODELS.md
// names the file behind each behaviour). It sends real HTTP with ../../taro-mini/models/transport.js.
'use strict'
const { send, headerValue, Failure } = require('../../taro-mini/models/transport')

const HttpDataType = Object.freeze({ STRING: 0, OBJECT: 1, ARRAY_BUFFER: 2 })

// netstack's HttpExec::MethodForGet / MethodForPost: extraData goes into the URL for the first,
// into the body for the second; a method in neither is not supported.
const FOR_GET = new Set(['HEAD', 'OPTIONS', 'TRACE', 'GET', 'CONNECT'])
const FOR_POST = new Set(['POST', 'PUT', 'DELETE'])

// The answers netstack gives for libcurl's errors: 2300000 + CURLcode, with curl's own words.
const CURL = Object.freeze({
  [Failure.invalidUrl]: [3, 'URL using bad/illegal format or missing URL'],
  [Failure.refused]: [7, "Couldn't connect to server"],
  [Failure.malformed]: [8, 'Weird server reply'],
  [Failure.timeout]: [28, 'Timeout was reached'],
  [Failure.tooManyRedirects]: [47, 'Number of redirects hit maximum amount'],
  [Failure.closed]: [52, 'Server returned nothing (no headers, no data)'],
  [Failure.reset]: [56, 'Failure when receiving data from the peer'],
})
// Whatever realm made it (the app's page is not Node's).
const isArrayBuffer = (value) => Object.prototype.toString.call(value) === '[object ArrayBuffer]'
const businessError = (code, message) => Object.assign(new Error(message), { code })
const curlError = (kind) => {
  const [code, message] = CURL[kind] || [0, 'Internal error']
  return code ? businessError(2300000 + code, message) : businessError(2300999, message)
}

// HttpExec::EncodeUrlParam: every byte but RFC 3986's unreserved ones as %XX (upper case).
function encodeUrlParam(text) {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

// RequestContext::UrlAndOptions: what goes on the wire for (url, options), or the error the call
// fails with before anything is sent.
function prepare(url, options) {
  const method = typeof options.method === 'string' ? options.method : 'GET'
  const headers = new Map()
  let body = null
  const extraData = options.extraData
  if (extraData !== undefined && extraData !== null) {
    if (FOR_GET.has(method)) {
      // HandleMethodForGet: a string is appended as it is; an object's string-valued members as
      // name=value, encoded (encoding anything also sets the urlencoded content-type); others left out.
      let param = ''
      if (typeof extraData === 'string') param = extraData
      else if (typeof extraData === 'object' && !isArrayBuffer(extraData)) {
        const pairs = []
        for (const name of Object.keys(extraData)) {
          const value = typeof extraData[name] === 'string' ? extraData[name] : ''
          if (!name || !value) continue
          const [n, v] = [encodeUrlParam(name), encodeUrlParam(value)]
          if (n !== name || v !== value) headers.set('content-type', 'application/x-www-form-urlencoded')
          pairs.push(`${n}=${v}`)
        }
        param = pairs.join('&')
      }
      url = makeUrl(url, param)
    } else if (FOR_POST.has(method)) {
      // GetRequestBody: a string as UTF-8, an ArrayBuffer's bytes, an object as JSON.stringify.
      if (typeof extraData === 'string') body = Buffer.from(extraData, 'utf8')
      else if (isArrayBuffer(extraData)) body = Buffer.from(extraData)
      else if (typeof extraData === 'object') body = Buffer.from(JSON.stringify(extraData), 'utf8')
      else return { error: businessError(401, 'Parameter error') }
      if (!body.length) return { error: businessError(401, 'Parameter error') }
    } else {
      return { error: businessError(401, 'Parameter error') }
    }
  }
  // ParseHeader: only for a header object; POST, PUT and DELETE get content-type
  // application/json first; every name in lower case, every value as a string.
  if (options.header && typeof options.header === 'object') {
    if (FOR_POST.has(method)) headers.set('content-type', 'application/json')
    for (const [name, value] of Object.entries(options.header)) headers.set(name.toLowerCase(), String(value))
  }
  if (!FOR_GET.has(method) && !FOR_POST.has(method)) return { error: businessError(2300999, 'Internal error') }
  // libcurl's own: a POST body with no content-type is sent as urlencoded; netstack sets the
  // user agent and asks for gzip.
  if (body && !headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded')
  if (!headers.has('user-agent')) headers.set('user-agent', 'libcurl-agent/1.0')
  if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip')
  if (!headers.has('accept')) headers.set('accept', '*/*')
  return { method, url, headers: [...headers], body }
}

// HttpExec::MakeUrl: the URL's own query, then `&`, then extraData's.
function makeUrl(url, param) {
  const at = url.indexOf('?')
  let query = at < 0 ? '' : url.slice(at + 1)
  const base = at < 0 ? url : url.slice(0, at)
  query = query && param ? `${query}&${param}` : query || param
  return query ? `${base}?${query}` : base
}

// HttpResponse::ParseHeaders and HttpExec::MakeResponseHeader: every header line libcurl saw
// (each hop's of a redirect) into one object, names in lower case, a later value replacing an
// earlier, a line with an empty name or value left out (so the status line); `set-cookie` as the
// array of every Set-Cookie value.
function headerObject(hops) {
  const header = {}
  const setCookie = []
  for (const { rawHeaders } of hops) {
    for (const [name, value] of rawHeaders) {
      const key = name.toLowerCase()
      const text = String(value).trim()
      if (key === 'set-cookie') setCookie.push(text)
      else if (key && text) header[key] = text
    }
  }
  if (setCookie.length) header['set-cookie'] = setCookie
  return header
}

// HttpExec::BuildRequestCallback: `result` by expectDataType, else an ArrayBuffer for
// octet-stream and image content-types and a UTF-8 string for the rest.
function result(body, header, expectDataType) {
  const asBuffer = () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)
  if (expectDataType === HttpDataType.ARRAY_BUFFER) return [asBuffer(), HttpDataType.ARRAY_BUFFER]
  if (expectDataType === HttpDataType.OBJECT) {
    try {
      return [JSON.parse(body.toString('utf8')), HttpDataType.OBJECT]
    } catch {
      return [body.toString('utf8'), HttpDataType.STRING]
    }
  }
  if (expectDataType === HttpDataType.STRING) return [body.toString('utf8'), HttpDataType.STRING]
  const type = (header['content-type'] || '').toLowerCase()
  if (type.includes('application/octet-stream') || type.includes('image')) return [asBuffer(), HttpDataType.ARRAY_BUFFER]
  return [body.toString('utf8'), HttpDataType.STRING]
}

// http.createHttp(): one HttpRequest, for one request.
function createHttp() {
  const controller = new AbortController()
  const headListeners = new Set()
  let destroyed = false
  return {
    // 'headersReceive' calls back with the header; the older 'headerReceive' (until API 8) with
    // (err, header): netstack emits both (http_exec.cpp OnHeaderReceive).
    on(type, listener) {
      if (typeof listener !== 'function') return
      if (type === 'headersReceive') headListeners.add(listener)
      else if (type === 'headerReceive') headListeners.add(Object.assign((header) => listener(undefined, header), { original: listener }))
    },
    off(type, listener) {
      if (type !== 'headersReceive' && type !== 'headerReceive') return
      const callback = type === 'headerReceive'
      for (const each of headListeners) {
        if (Boolean(each.original) !== callback) continue
        if (listener === undefined || each === listener || each.original === listener) headListeners.delete(each)
      }
    },
    // After destroy() nothing more is delivered: netstack drops a deleted request's callback.
    destroy() {
      destroyed = true
      controller.abort()
    },
    // The callback form, or without one the promise form. After destroy() neither settles.
    request(url, options, callback) {
      if (typeof callback !== 'function') {
        return new Promise((resolve, reject) => this.request(url, options, (error, data) => (error ? reject(error) : resolve(data))))
      }
      options = options || {}
      const deliver = (error, data) => setImmediate(() => destroyed || callback(error, data))
      const prepared = prepare(String(url), options)
      if (prepared.error) return deliver(prepared.error)
      const hops = []
      // CURLOPT_TIMEOUT_MS is readTimeout, for the whole exchange (default 60 s).
      const timeoutMs = typeof options.readTimeout === 'number' ? options.readTimeout : 60000
      send({
        method: prepared.method,
        url: prepared.url,
        headers: prepared.headers,
        body: prepared.body,
        timeoutMs,
        signal: controller.signal,
        onHead: (status, rawHeaders) => {
          hops.push({ status, rawHeaders })
          if (!destroyed) for (const listener of headListeners) listener(headerObject([{ status, rawHeaders }]))
        },
      }).then(
        (response) => {
          const header = headerObject(hops)
          const [data, resultType] = result(response.body, header, options.expectDataType)
          const cookies = response.rawHeaders.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => value).join('\n')
          deliver(undefined, { result: data, resultType, responseCode: response.status, header, cookies })
        },
        (error) => deliver(curlError(error.kind)),
      )
    },
  }
}

module.exports = { createHttp, HttpDataType, prepare, encodeUrlParam, headerValue }
