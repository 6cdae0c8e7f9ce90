#!/usr/bin/env node
// example-node: a Taro.request written on Node's own fetch, plugged into taro-conformance.
//
// An adapter is a program that reads one JSON message per line on stdin and writes one per line
// on stdout (docs/protocol.md). This file has three parts:
//   1. the protocol: answer `start` with who we are, answer each `run` with what the caller got;
//   2. values JSON cannot carry (ArrayBuffer, undefined, option functions), tagged both ways;
//   3. the implementation under test: `request(options)`. Replace this part with your
//      platform's Taro.request and keep the rest.
// Log to stderr, never to stdout: stdout carries protocol messages only.
'use strict'

const readline = require('node:readline')

// ---------------------------------------------------------------------------------------------
// 1. The protocol
// ---------------------------------------------------------------------------------------------

const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')

const READY = {
  type: 'ready',
  protocol: 1,
  name: 'example-node',
  version: '1.0.0',
  platform: 'node',
  runtime: `node ${process.versions.node} fetch`,
  // What this implementation supports; cases needing anything else are "not applicable".
  capabilities: ['core', 'abort', 'h5-timeout'],
  // How many cases it runs at once.
  concurrency: 16,
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line)
  if (message.type === 'start') {
    send(READY)
  } else if (message.type === 'run') {
    runCase(message.case).then(
      (result) => send({ seq: message.seq, result }),
      (error) => send({ seq: message.seq, errored: { message: String((error && error.stack) || error) } }),
    )
  } else if (message.type === 'stop') {
    process.exit(0)
  }
})

// Runs one case: the earlier calls, then the call itself with its actions, and reports what the
// caller got: how the promise settled, with what, which callbacks ran, how long it took.
async function runCase(testCase) {
  for (const before of testCase.before) {
    await request(fromWire(before)).catch(() => {})
  }
  const callbacks = []
  // A string is the Taro.request(url) form: no options, so no callbacks to record.
  const options = fromWire(testCase.call)
  if (typeof options === 'object') {
    for (const name of ['success', 'fail', 'complete']) {
      options[name] = (arg) => callbacks.push({ name, arg: toWire(arg) })
    }
  }
  const started = performance.now()
  const elapsedMs = () => Math.round(performance.now() - started)
  let task
  try {
    task = request(options)
  } catch (error) {
    return { settled: 'threw', value: toWire(error), callbacks, elapsedMs: elapsedMs() }
  }
  for (const action of testCase.actions) {
    if (action.abort) setTimeout(() => task.abort(), action.abort.afterMs)
  }
  let timer
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ settled: 'pending' }), testCase.deadlineMs)
  })
  const outcome = await Promise.race([
    task.then(
      (value) => ({ settled: 'resolved', value }),
      (value) => ({ settled: 'rejected', value }),
    ),
    deadline,
  ])
  clearTimeout(timer)
  const result = { settled: outcome.settled, callbacks, elapsedMs: elapsedMs(), taskMethods: methodsOf(task) }
  if (outcome.settled !== 'pending') result.value = toWire(outcome.value)
  return result
}

// The names of an object's function-valued members, its prototypes' included.
function methodsOf(object) {
  const names = new Set()
  for (let o = object; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof object[name] === 'function') names.add(name)
    }
  }
  return [...names].sort()
}

// ---------------------------------------------------------------------------------------------
// 2. Values JSON cannot carry
// ---------------------------------------------------------------------------------------------

// From the runner: {$type: 'arraybuffer', base64} is an ArrayBuffer, {$type: 'undefined'} is
// undefined, {$type: 'function', returns} is a function returning that value.
function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire)
  if (value === null || typeof value !== 'object') return value
  if (value.$type === 'arraybuffer') {
    const bytes = Buffer.from(value.base64, 'base64')
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)
  }
  if (value.$type === 'undefined') return undefined
  if (value.$type === 'function') return () => value.returns
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]))
}

// To the runner: the same tags the other way, and errors as {$type: 'error', name, message}.
function toWire(value) {
  if (value === undefined) return { $type: 'undefined' }
  if (value instanceof ArrayBuffer) return { $type: 'arraybuffer', base64: Buffer.from(value).toString('base64') }
  if (value instanceof Error) return { $type: 'error', name: value.name, message: value.message }
  if (Array.isArray(value)) return value.map(toWire)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]))
}

// ---------------------------------------------------------------------------------------------
// 3. The implementation under test: Taro.request on Node's fetch
// ---------------------------------------------------------------------------------------------

const DEFAULT_TIMEOUT_MS = 2000

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

// Adds a query after `?` or `&`, before any #fragment.
function appendQuery(url, query) {
  if (!query) return url
  const hash = url.indexOf('#')
  const base = hash < 0 ? url : url.slice(0, hash)
  const fragment = hash < 0 ? '' : url.slice(hash)
  const joiner = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&'
  return base + joiner + query + fragment
}
