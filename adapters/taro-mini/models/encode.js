// What a native request sends: the rules the vendors document for `data` (GET: a query string of
// encodeURIComponent pairs; POST with JSON: JSON; POST form-urlencoded: a query string), and the
// choices they leave open, each named in MODELS.md under "Shared choices".
'use strict'
const { types } = require('node:util')
const { headerValue } = require('./transport')

const isBytes = (value) => types.isArrayBuffer(value) || ArrayBuffer.isView(value)
const toBuffer = (value) =>
  types.isArrayBuffer(value) ? Buffer.from(value.slice(0)) : Buffer.from(value.buffer, value.byteOffset, value.byteLength)

// A query-string value: strings as they are, objects (and null) as JSON, the rest by String().
function queryValue(value) {
  if (typeof value === 'string') return value
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

// `encodeURIComponent(k)=encodeURIComponent(v)&…` in the object's key order; undefined values
// are left out, as JSON.stringify leaves them out of a body.
function toQueryString(data, value = queryValue) {
  return Object.keys(data)
    .filter((key) => data[key] !== undefined)
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(value(data[key]))}`)
    .join('&')
}

// The url with `query` appended: after `?`, or after `&` when the url has a query already.
// The fragment stays at the end (it never goes on the wire).
function withQuery(url, query) {
  if (!query) return url
  const hash = url.indexOf('#')
  const base = hash === -1 ? url : url.slice(0, hash)
  const fragment = hash === -1 ? '' : url.slice(hash)
  const joiner = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&'
  return base + joiner + query + fragment
}

// { url, body } for a call: GET (and HEAD, which has no body) put object data in the query and
// string data after the `?` as it is; every other method sends a body by the POST rules.
// `getValue` writes a GET query's values (a platform may differ from the shared choice).
function encodeRequest({ method, url, data, headers, getValue = queryValue }) {
  if (data === undefined || data === null) return { url, body: null }
  if (method === 'GET' || method === 'HEAD') {
    if (typeof data === 'string') return { url: withQuery(url, data), body: null }
    if (isBytes(data) || typeof data !== 'object') return { url, body: null }
    return { url: withQuery(url, toQueryString(data, getValue)), body: null }
  }
  if (typeof data === 'string') return { url, body: Buffer.from(data, 'utf8') }
  if (isBytes(data)) return { url, body: toBuffer(data) }
  if (typeof data !== 'object') return { url, body: Buffer.from(String(data), 'utf8') }
  const contentType = (headerValue(headers, 'content-type') || '').toLowerCase()
  const text = contentType.includes('application/x-www-form-urlencoded') ? toQueryString(data) : JSON.stringify(data)
  return { url, body: Buffer.from(text, 'utf8') }
}

// The caller's header object as [name, value] pairs, values as strings; `content-type` defaults
// to application/json; names in `forbidden` (lower case) are dropped.
function requestHeaders(header, { forbidden = [], defaults = [['content-type', 'application/json']] } = {}) {
  const pairs = []
  if (header && typeof header === 'object') {
    for (const key of Object.keys(header)) {
      if (header[key] === undefined || forbidden.includes(key.toLowerCase())) continue
      pairs.push([key, String(header[key])])
    }
  }
  for (const [name, value] of defaults) {
    if (headerValue(pairs, name) === undefined) pairs.push([name, value])
  }
  return pairs
}

// Response headers as one object, in the server's name case; repeated names joined with ", ".
function responseHeaders(rawHeaders) {
  const out = {}
  const seen = {}
  for (const [name, value] of rawHeaders) {
    const lower = name.toLowerCase()
    if (seen[lower] === undefined) {
      seen[lower] = name
      out[name] = value
    } else {
      out[seen[lower]] += `, ${value}`
    }
  }
  return out
}

const setCookies = (rawHeaders) => rawHeaders.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, v]) => v)

// The body as text: in the charset its content-type names (the vendors "try to convert" other
// charsets than UTF-8), otherwise UTF-8; one byte-order mark removed.
function bodyText(body, contentType = '') {
  const charset = /;\s*charset="?([^";\s]+)/i.exec(contentType)
  let decoder
  try {
    decoder = new TextDecoder(charset ? charset[1] : 'utf-8')
  } catch {
    decoder = new TextDecoder('utf-8') // a charset nobody knows: read it as UTF-8
  }
  return decoder.decode(body).replace(/^\uFEFF/, '')
}

// A Node Buffer's bytes as an ArrayBuffer of their own.
const toArrayBuffer = (body) => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)

module.exports = { encodeRequest, requestHeaders, responseHeaders, setCookies, bodyText, toArrayBuffer, isBytes }
