#!/usr/bin/env node
// example-node: a Taro.request written on Node's own fetch, plugged into taro-conformance.
//
// An adapter is a program that reads one JSON message per line on stdin and writes one per line
// on stdout (docs/protocol.md). This file has three parts:
//   1. the protocol: answer `start` with who we are, answer each `run` with what the caller got;
//   2. values JSON cannot carry (ArrayBuffer, undefined, functions, errors, Headers), tagged as
//      the Taro adapters' harness tags them;
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

// Run as a program (`node adapter.js`), this serves the protocol. Required (as test/ does), it
// only lends its encoders: see the end of part 2.
if (require.main === module) {
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
}

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
  // Each action is awaited before the case is reported, even one due after the call settled (an
  // abort after completion), so that whatever it sets off is recorded too, and what one threw at
  // the app that called it (`actionErrors`, judged under the case's clauses).
  const actionErrors = []
  const actionsDone = Promise.all(testCase.actions.map((action) => new Promise((resolve) => {
    if (!action.abort) return resolve()
    setTimeout(() => {
      try {
        task.abort()
      } catch (error) {
        actionErrors.push({ action: 'abort', afterMs: action.abort.afterMs, threw: toWire(error) })
      } finally {
        resolve()
      }
    }, action.abort.afterMs)
  })))
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
  const settledMs = elapsedMs()
  if (outcome.settled !== 'pending') {
    // Within the deadline; then one turn more for what the last action set off.
    await Promise.race([actionsDone, deadline])
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  clearTimeout(timer)
  const result = { settled: outcome.settled, callbacks, elapsedMs: settledMs, taskMethods: methodsOf(task) }
  if (outcome.settled !== 'pending') result.value = toWire(outcome.value)
  if (actionErrors.length) result.actionErrors = actionErrors
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

// These two functions do exactly what ../lib/harness.js (the harness the Taro adapters run)
// does, so every adapter reports the same JavaScript value as the same JSON; test/ checks it.
// A value may come from another realm (a vm sandbox, another window), whose ArrayBuffer and Error
// are not this realm's, so `instanceof` would miss them: types are told by their tags instead.
// Objects are copied key by key by assignment, as there (so an own "__proto__" key sets the
// copy's prototype rather than becoming a member, in both).

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
  const out = {}
  for (const key of Object.keys(value)) out[key] = fromWire(value[key])
  return out
}

// '[object ArrayBuffer]', '[object Error]', …: the same for a value from any realm.
function tagOf(value) {
  return Object.prototype.toString.call(value)
}

// An Error of this realm or another one (a TypeError's tag is '[object Error]' too), or a
// DOMException (what an aborted fetch rejects with), whose tag is its own.
function isError(value) {
  return value instanceof Error || tagOf(value) === '[object Error]' || tagOf(value) === '[object DOMException]'
}

// To the runner: the same tags the other way; errors as {$type: 'error', name, message} plus
// their own properties (a Taro error's errMsg, statusCode, …); Headers as their entries; a
// function as {$type: 'function'}. Anything else is plain JSON, its members encoded in turn.
function toWire(value) {
  if (value === undefined) return { $type: 'undefined' }
  if (tagOf(value) === '[object ArrayBuffer]') {
    return { $type: 'arraybuffer', base64: Buffer.from(new Uint8Array(value)).toString('base64') }
  }
  if (isError(value)) {
    const out = { $type: 'error', name: String(value.name), message: String(value.message) }
    for (const key of Object.keys(value)) out[key] = toWire(value[key])
    return out
  }
  // Headers by instanceof, as harness.js does: only this realm's Headers are tagged.
  if (typeof Headers !== 'undefined' && value instanceof Headers) {
    return { $type: 'headers', entries: Array.from(value.entries()) }
  }
  if (Array.isArray(value)) return value.map(toWire)
  if (typeof value === 'function') return { $type: 'function' }
  if (value === null || typeof value !== 'object') return value
  // Typed arrays, DataViews and Buffers are not tagged: like any object, they become their own
  // enumerable members (a Uint8Array's indices, none for a DataView).
  const out = {}
  for (const key of Object.keys(value)) out[key] = toWire(value[key])
  return out
}

module.exports = { fromWire, toWire }

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
