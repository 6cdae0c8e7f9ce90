#!/usr/bin/env node
// {{ name }}: a Taro.request written on Node's own fetch, plugged into taro-conformance.
//
// The kit (../lib, README.md there) does the rest: protocol.js answers the runner (one JSON
// message per line on stdin and stdout, docs/protocol.md) and harness.js runs each case against
// globalThis.TaroUnderTest, recording the callbacks, the actions, the deadline and the values JSON
// cannot carry. This file is the implementation under test, `request(options)`, and what it
// declares in `ready`. Replace `request` with yours. Log to stderr: stdout is the protocol's.
'use strict'
const { serve, lendEncoder } = require('../lib/protocol')

const READY = {
  name: '{{ name }}',
  // The version of the implementation under test.
  version: '0.1.0',
  platform: 'node',
  runtime: `node ${process.versions.node} fetch`,
  // What it supports (README's capability table); cases needing anything else are not sent.
  capabilities: ['core', 'abort', 'h5-timeout'],
  // How many cases it runs at once.
  concurrency: 16,
}

// ---------------------------------------------------------------------------------------------
// The implementation under test: Taro.request on Node's fetch
// ---------------------------------------------------------------------------------------------

const DEFAULT_TIMEOUT_MS = 2000

// Returns a promise with abort(), calls success/fail and complete, resolves with
// { data, statusCode, header, errMsg }, rejects with { errMsg }.
function request(options) {
  if (typeof options === 'string') options = { url: options }
  const controller = new AbortController()
  let reason = null
  const abort = (why) => {
    reason = reason || why
    controller.abort()
  }
  const promise = perform(options, controller.signal, () => reason).then(
    (result) => {
      options.success && options.success(result)
      options.complete && options.complete(result)
      return result
    },
    (error) => {
      options.fail && options.fail(error)
      options.complete && options.complete(error)
      throw error
    },
  )
  const timer = setTimeout(() => abort('timeout'), options.timeout ?? DEFAULT_TIMEOUT_MS)
  promise.catch(() => {}).finally(() => clearTimeout(timer))
  promise.abort = () => abort('abort')
  return promise
}

async function perform(options, signal, abortReason) {
  if (typeof options.url !== 'string' || options.url === '') {
    throw { errMsg: 'request:fail parameter error: url must be a non-empty string' }
  }
  const method = (options.method || 'GET').toUpperCase()
  const header = {}
  for (const [name, value] of Object.entries(options.header || {})) {
    if (name.toLowerCase() !== 'referer') header[name] = String(value)
  }
  let contentType = Object.keys(header).find((name) => name.toLowerCase() === 'content-type')
  if (!contentType) header[(contentType = 'content-type')] = 'application/json'
  let url = options.url
  let body
  const data = options.data
  if (data !== undefined && data !== null) {
    if (method === 'GET' || method === 'HEAD') {
      url = appendQuery(url, typeof data === 'object' ? queryString(data) : String(data))
    } else if (typeof data === 'string' || data instanceof ArrayBuffer) {
      body = data
    } else if (header[contentType].toLowerCase().includes('application/x-www-form-urlencoded')) {
      body = queryString(data)
    } else {
      body = JSON.stringify(data)
    }
  }
  let response
  let bytes
  try {
    response = await fetch(url, { method, headers: header, body, signal })
    bytes = await response.arrayBuffer()
  } catch (error) {
    throw { errMsg: `request:fail ${abortReason() || (error.cause && error.cause.code) || error.message}` }
  }
  const headers = {}
  response.headers.forEach((value, name) => (headers[name] = value))
  let result
  if (options.responseType === 'arraybuffer') {
    result = bytes
  } else {
    result = new TextDecoder().decode(bytes)
    if ((options.dataType || 'json') === 'json') {
      try {
        result = JSON.parse(result)
      } catch {
        // Parsing is only attempted: text that is not JSON stays text.
      }
    }
  }
  return { data: result, statusCode: response.status, header: headers, errMsg: 'request:ok' }
}

// encodeURIComponent(k)=encodeURIComponent(v)&…, in insertion order.
function queryString(data) {
  return Object.entries(data)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
}

// Adds a query after `?` or `&`, before any fragment.
function appendQuery(url, query) {
  if (!query) return url
  const hash = url.indexOf('#')
  const base = hash < 0 ? url : url.slice(0, hash)
  const fragment = hash < 0 ? '' : url.slice(hash)
  const joiner = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&'
  return base + joiner + query + fragment
}

// ---------------------------------------------------------------------------------------------
// Plugged into the kit
// ---------------------------------------------------------------------------------------------

// The harness runs in this process's own realm, against what TaroUnderTest holds. With
// interceptors, add addInterceptor and cleanInterceptors here and the `interceptors` capability.
globalThis.TaroUnderTest = { request }
require('../lib/harness.js')
const harness = globalThis.__taroConformance
lendEncoder(harness)

serve({
  start: async () => READY,
  runCase: (testCase) => harness.runCase(testCase),
  stop: async () => {},
})
