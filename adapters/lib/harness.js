// The conformance harness inside a page (a browser's or jsdom's) or a mini-program sandbox (a
// Node vm context): runs one case against globalThis.TaroUnderTest — `{ request,
// addInterceptor?, cleanInterceptors? }` from the published Taro package, bundled before this
// file — and reports what the caller got, in the protocol's terms (docs/protocol.md). Node drives
// it through globalThis.__taroConformance.runCase(case).
// Values may come from another realm (a sandbox's native model lives in Node's own), so types
// are told by their tags, never by instanceof.
;(function () {
  'use strict'

  // What Node drives: runCase, and toBase64 (null until a host sets it). A host whose platform
  // API is a model calls nativeCall(options) from it with what Taro's layer passed: the case's
  // own call reports the first such call as `native`, taken as it was at the call (the layer may
  // change the object later).
  const api = { runCase, toBase64: null, nativeCall }
  globalThis.__taroConformance = api
  let nativeCalls = null

  function nativeCall(options) {
    if (nativeCalls) nativeCalls.push(toWire(options))
  }

  // Bytes to base64: the runtime's own encoder where it has one (Chromium's
  // Uint8Array.prototype.toBase64), or the one a host in Node gives the harness (Buffer's, set as
  // __taroConformance.toBase64), else by hand. By hand, a 5 MiB body costs about 0.3 s of CPU a
  // time in a sandbox, and every adapter running at once pays it together: the harness's own
  // work, which would stretch the platforms' cases.
  function toBase64(buffer) {
    const bytes = new Uint8Array(buffer)
    if (typeof bytes.toBase64 === 'function') return bytes.toBase64()
    if (typeof api.toBase64 === 'function') return api.toBase64(buffer)
    let binary = ''
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000))
    }
    return btoa(binary)
  }

  function fromBase64(text) {
    const binary = atob(text)
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
    return bytes.buffer
  }

  // {$type: arraybuffer|undefined|function} from the runner become the JavaScript values.
  function fromWire(value) {
    if (Array.isArray(value)) return value.map(fromWire)
    if (value === null || typeof value !== 'object') return value
    if (value.$type === 'arraybuffer') return fromBase64(value.base64)
    if (value.$type === 'undefined') return undefined
    if (value.$type === 'function') return () => value.returns
    const out = {}
    for (const key of Object.keys(value)) out[key] = fromWire(value[key])
    return out
  }

  function tagOf(value) {
    return Object.prototype.toString.call(value)
  }

  function isError(value) {
    return value instanceof Error || tagOf(value) === '[object Error]' || tagOf(value) === '[object DOMException]'
  }

  // JavaScript values to the protocol's JSON: ArrayBuffers, undefined, errors (with their own
  // properties, such as errMsg) and Headers are tagged.
  function toWire(value) {
    if (value === undefined) return { $type: 'undefined' }
    if (tagOf(value) === '[object ArrayBuffer]') return { $type: 'arraybuffer', base64: toBase64(value) }
    if (isError(value)) {
      const out = { $type: 'error', name: String(value.name), message: String(value.message) }
      for (const key of Object.keys(value)) out[key] = toWire(value[key])
      return out
    }
    if (typeof Headers !== 'undefined' && value instanceof Headers) {
      return { $type: 'headers', entries: Array.from(value.entries()) }
    }
    if (Array.isArray(value)) return value.map(toWire)
    if (value === null || typeof value !== 'object') return typeof value === 'function' ? { $type: 'function' } : value
    const out = {}
    for (const key of Object.keys(value)) out[key] = toWire(value[key])
    return out
  }

  function methodsOf(object) {
    const names = new Set()
    for (let o = object; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
      for (const name of Object.getOwnPropertyNames(o)) {
        if (name !== 'constructor' && typeof object[name] === 'function') names.add(name)
      }
    }
    return Array.from(names).sort()
  }

  async function runCase(testCase) {
    const Taro = globalThis.TaroUnderTest
    const trace = []
    let traced = false
    if (Taro.cleanInterceptors) Taro.cleanInterceptors()
    const add = (interceptor) => {
      if (interceptor.setHeader) {
        Taro.addInterceptor((chain) => {
          const params = chain.requestParams
          params.header = Object.assign({}, params.header, interceptor.setHeader)
          return chain.proceed(params)
        })
      } else if (interceptor.record) {
        traced = true
        const name = interceptor.record
        Taro.addInterceptor((chain) => {
          trace.push(`${name}:in`)
          const inner = chain.proceed(chain.requestParams)
          const out = () => trace.push(`${name}:out`)
          Promise.resolve(inner).then(out, out)
          return inner
        })
      } else if (interceptor.derive) {
        Taro.addInterceptor((chain) => chain.proceed(chain.requestParams).then((res) => res))
      } else if (interceptor.proceedAgain) {
        // The token-refresh pattern: the same params object goes out again, a header changed.
        const { onStatus, setHeader } = interceptor.proceedAgain
        Taro.addInterceptor((chain) => {
          const params = chain.requestParams
          return chain.proceed(params).then((res) => {
            if (!res || res.statusCode !== onStatus) return res
            params.header = Object.assign({}, params.header, setHeader)
            return chain.proceed(params)
          })
        })
      }
    }
    testCase.interceptors.forEach(add)
    if (testCase.cleanInterceptors && Taro.cleanInterceptors) Taro.cleanInterceptors()
    for (const before of testCase.before) {
      try {
        await Taro.request(fromWire(before))
      } catch (error) {
        // Earlier calls are not judged.
      }
    }
    // Added once the page has made its earlier calls, as an app adds one later on.
    ;(testCase.laterInterceptors || []).forEach(add)
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
    const native = (nativeCalls = [])
    const withNative = (result) => (native.length ? Object.assign(result, { native: native[0] }) : result)
    let task
    try {
      task = Taro.request(options)
    } catch (error) {
      return withNative({ settled: 'threw', value: toWire(error), callbacks, elapsedMs: elapsedMs() })
    }
    // Each action is awaited before the case is reported, even one due after the call settled (an
    // abort after completion), so that whatever it sets off is recorded too, and what one threw
    // at the app that called it.
    const actionErrors = []
    const actionsDone = Promise.all(testCase.actions.map((action) => new Promise((resolve) => {
      if (!action.abort) return resolve()
      setTimeout(() => {
        try {
          if (task && typeof task.abort === 'function') task.abort()
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
      Promise.resolve(task).then(
        (value) => ({ settled: 'resolved', value }),
        (value) => ({ settled: 'rejected', value }),
      ),
      deadline,
    ])
    const settledMs = elapsedMs()
    if (outcome.settled !== 'pending') {
      // Within the deadline; then two timer turns more, for what the call or its last action set
      // off. A model's later callback delivered with setImmediate lands between the two whatever
      // phase of Node's event loop the case resumed in; one turn alone could close the case first
      // whenever a millisecond had passed, as it does on a loaded machine.
      await Promise.race([actionsDone, deadline])
      await new Promise((resolve) => setTimeout(resolve, 0))
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    clearTimeout(timer)
    const result = { settled: outcome.settled, callbacks, elapsedMs: settledMs, taskMethods: methodsOf(task) }
    if (outcome.settled !== 'pending') result.value = toWire(outcome.value)
    if (actionErrors.length) result.actionErrors = actionErrors.slice()
    if (traced) {
      // Let the outer layers' "out" land: they settle one tick after the inner ones.
      await new Promise((resolve) => setTimeout(resolve, 0))
      result.trace = trace.slice()
    }
    return withNative(result)
  }

})()
