// The example adapter's encoders against the shared harness's (../../lib/harness.js, the one the
// Taro adapters run): fed the same values, they must give the same protocol JSON, so the example
// a newcomer copies reports values as the real adapters do. Run: node --test test/
//
// harness.js is a script for a page or a sandbox and keeps its encoders private: it exposes only
// globalThis.__taroConformance.runCase, which calls globalThis.TaroUnderTest.request. So it is
// loaded unchanged into this realm, and a stub request hands it each value: thrown, it comes back
// encoded as the result's `value`; passed in the call's options, it arrives decoded.
'use strict'
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { toWire, fromWire } = require('../adapter.js')

const harnessPath = path.join(__dirname, '..', '..', 'lib', 'harness.js')
vm.runInThisContext(fs.readFileSync(harnessPath, 'utf8'), { filename: harnessPath })
const harness = globalThis.__taroConformance

const CASE = { interceptors: [], before: [], actions: [], deadlineMs: 1000 }

async function harnessToWire(value) {
  globalThis.TaroUnderTest = {
    request() {
      throw value
    },
  }
  // A string call has no options, so no callbacks: the thrown value is all there is.
  const result = await harness.runCase({ ...CASE, call: 'http://127.0.0.1:9/' })
  assert.equal(result.settled, 'threw')
  return result.value
}

async function harnessFromWire(wire) {
  let decoded
  globalThis.TaroUnderTest = {
    request(options) {
      decoded = options.decoded
      return Promise.resolve()
    },
  }
  await harness.runCase({ ...CASE, call: { url: 'http://127.0.0.1:9/', decoded: wire } })
  return decoded
}

// A value as plain data of this realm, which deepStrictEqual can compare even when the two values
// come from two realms: an ArrayBuffer's bytes, what a function returns, an object's prototype
// when it is not Object.prototype.
function describe(value) {
  if (value === undefined) return { undefined: true }
  if (typeof value === 'function') return { function: describe(value()) }
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]') return { arraybuffer: [...new Uint8Array(value)] }
  if (Array.isArray(value)) {
    // An array made here, whatever realm the value's is in; holes stay holes.
    const out = new Array(value.length)
    value.forEach((item, i) => (out[i] = describe(item)))
    return out
  }
  if (value === null || typeof value !== 'object') return value
  const proto = Object.getPrototypeOf(value)
  return {
    prototype: proto === Object.prototype ? 'Object.prototype' : describe(proto),
    own: Object.keys(value).map((key) => [key, describe(value[key])]),
  }
}

const inOtherRealm = (source) => vm.runInNewContext(source)

// [what it is, a function making it]: made afresh for each encoder, in case one changes it.
const values = [
  ['a string', () => 'plain'],
  ['an empty string', () => ''],
  ['unicode, a lone surrogate included', () => 'café ☕ 𝄞 \u2028 \ud800'],
  ['an integer', () => 42],
  ['a fraction', () => -1.5],
  ['-0', () => -0],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['true', () => true],
  ['false', () => false],
  ['null', () => null],
  ['undefined', () => undefined],
  ['a symbol', () => Symbol.for('s')],
  ['a function', () => () => 'returned'],
  ['an empty object', () => ({})],
  ['an empty array', () => []],
  ['a Taro response', () => ({ data: { ok: true }, statusCode: 200, header: { 'content-type': 'application/json' }, errMsg: 'request:ok' })],
  ['nested objects and arrays', () => ({ a: [1, [2, [3, { b: { c: [null, 'x'] } }]]], d: { e: { f: {} } } })],
  ['undefined in an object', () => ({ a: undefined, b: 1 })],
  ['undefined in an array', () => [undefined, 1, undefined]],
  ['a sparse array', () => [1, , 3]],
  ['functions and symbols as members', () => ({ f() {}, s: Symbol.for('s'), list: [() => 1, Symbol.for('t')] })],
  ['an empty ArrayBuffer', () => new ArrayBuffer(0)],
  ['an ArrayBuffer', () => new Uint8Array([0, 1, 2, 253, 254, 255]).buffer],
  ['an ArrayBuffer of 70000 bytes', () => new Uint8Array(70000).map((_, i) => i * 7).buffer],
  ['an ArrayBuffer as a response body', () => ({ data: new Uint8Array([104, 105]).buffer, statusCode: 200 })],
  ['ArrayBuffers in an array', () => [new ArrayBuffer(1), [new ArrayBuffer(2)]]],
  ['an object that calls itself an ArrayBuffer', () => ({ [Symbol.toStringTag]: 'ArrayBuffer', byteLength: 3 })],
  ['a Uint8Array', () => new Uint8Array([1, 2, 3])],
  ['an empty Uint8Array', () => new Uint8Array(0)],
  ['a Uint8Array over part of a buffer', () => new Uint8Array(new ArrayBuffer(8), 2, 3)],
  ['a Float64Array', () => new Float64Array([NaN, 1.5, -0])],
  ['a DataView', () => new DataView(new ArrayBuffer(4))],
  ['a Buffer', () => Buffer.from('hi')],
  ['a SharedArrayBuffer', () => new SharedArrayBuffer(2)],
  ['a Date', () => new Date(0)],
  ['a Map', () => new Map([['a', 1]])],
  ['an object without a prototype', () => Object.assign(Object.create(null), { a: 1 })],
  ['a class instance', () => new (class Point { constructor() { this.x = 1 } })()],
  // An own "__proto__" key (JSON.parse makes one): both encoders assign it to their copy, which
  // sets the copy's prototype instead of adding a member, so it never reaches the JSON.
  ['an own __proto__ member', () => JSON.parse('{"__proto__": {"a": 1}, "b": 2}')],
  ['an Error', () => new Error('boom')],
  ['an Error with no message', () => new Error()],
  ['a TypeError', () => new TypeError('Failed to fetch')],
  ['a RangeError', () => new RangeError('out of range')],
  ['an Error with errMsg and statusCode', () => Object.assign(new Error('request:fail'), { errMsg: 'request:fail timeout', statusCode: 0 })],
  ['an Error with a cause', () => new Error('fetch failed', { cause: new Error('ECONNREFUSED') })],
  ['an Error with Node system fields', () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' })],
  ['an Error with its own name', () => Object.assign(new Error('m'), { name: 'TaroError' })],
  ['an Error with a message that is not a string', () => Object.assign(new Error(), { message: 42 })],
  ['an Error with tagged own members', () => Object.assign(new Error('m'), { data: new ArrayBuffer(2), detail: undefined, inner: new TypeError('t') })],
  ['an Error subclass', () => new (class HttpError extends Error { constructor() { super('h'); this.statusCode = 500 } })()],
  ['an object inheriting from Error.prototype', () => Object.assign(Object.create(Error.prototype), { errMsg: 'x' })],
  ['an object that calls itself an Error', () => ({ [Symbol.toStringTag]: 'Error', message: 'm' })],
  ['an Error-like plain object', () => ({ name: 'Error', message: 'm', errMsg: 'request:fail abort' })],
  ['an Error in an object', () => ({ fail: new Error('inner'), list: [new RangeError('r')] })],
  ['a DOMException (an aborted fetch)', () => new DOMException('This operation was aborted', 'AbortError')],
  ['an abort signal\'s reason', () => AbortSignal.abort().reason],
  ['Headers', () => new Headers({ a: '1', 'Set-Cookie': 'x=1', B: '2' })],
  ['empty Headers', () => new Headers()],
  ['Headers in a response', () => ({ header: new Headers({ 'content-type': 'text/plain' }), statusCode: 200 })],
  ['an ArrayBuffer from another realm', () => inOtherRealm('new ArrayBuffer(2)')],
  ['bytes from another realm', () => inOtherRealm('new Uint8Array([7, 8, 9]).buffer')],
  ['an Error from another realm', () => inOtherRealm('new Error("x")')],
  ['a TypeError from another realm', () => inOtherRealm('new TypeError("t")')],
  ['an Error with errMsg from another realm', () => inOtherRealm('Object.assign(new Error("x"), { errMsg: "request:fail", statusCode: 500 })')],
  ['an Error of another realm holding its ArrayBuffer', () => inOtherRealm('Object.assign(new Error("x"), { data: new ArrayBuffer(1) })')],
  ['a response from another realm', () => inOtherRealm('({ data: new Uint8Array([1]).buffer, header: {}, statusCode: 200, errMsg: "request:ok", extra: undefined })')],
  ['an array from another realm', () => inOtherRealm('[1, undefined, [new ArrayBuffer(0)], () => 1]')],
  ['a Uint8Array from another realm', () => inOtherRealm('new Uint8Array([1, 2])')],
  ['an object inheriting from Error.prototype in another realm', () => inOtherRealm('Object.assign(Object.create(Error.prototype), { errMsg: "x" })')],
]

for (const [what, make] of values) {
  test(`toWire: ${what}`, async () => {
    const theirs = await harnessToWire(make())
    const mine = toWire(make())
    // The text is what the runner reads (key order included); the description also tells apart
    // what JSON text would merge, such as NaN and null.
    assert.equal(JSON.stringify(mine), JSON.stringify(theirs))
    assert.deepStrictEqual(describe(mine), describe(theirs))
  })
}

// What the runner sends: plain JSON, with arraybuffer, undefined and function tags anywhere.
const wires = [
  ['a string', 'http://127.0.0.1:9/'],
  ['null', null],
  ['unicode', 'café ☕ 𝄞'],
  ['an object', { url: 'http://127.0.0.1:9/', method: 'POST', data: { a: [1, '2', null, true] } }],
  ['an empty ArrayBuffer', { $type: 'arraybuffer', base64: '' }],
  ['an ArrayBuffer', { $type: 'arraybuffer', base64: 'AAEC/f7/' }],
  ['undefined', { $type: 'undefined' }],
  ['undefined in an object', { data: { $type: 'undefined' }, b: 1 }],
  ['undefined in an array', [{ $type: 'undefined' }, 1]],
  ['a function', { $type: 'function', returns: { ok: true } }],
  ['a function returning a tag, which stays as it is', { $type: 'function', returns: { $type: 'undefined' } }],
  ['tags nested deep', { data: [{ body: { $type: 'arraybuffer', base64: 'aGk=' } }], dataCheck: { $type: 'function', returns: false } }],
  ['an own __proto__ member', JSON.parse('{"__proto__": {"a": 1}, "b": 2}')],
]

for (const [what, wire] of wires) {
  test(`fromWire: ${what}`, async () => {
    const theirs = await harnessFromWire(structuredClone(wire))
    const mine = fromWire(structuredClone(wire))
    assert.deepStrictEqual(describe(mine), describe(theirs))
  })
}
