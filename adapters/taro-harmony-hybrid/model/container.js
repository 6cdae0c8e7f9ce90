// A model of the native half of the HarmonyOS hybrid container, `@hybrid/web-container`, whose
// source is jiangfeng52/harmonyos-shell (TaroWebContainer/): ClassInstanceApi's createInstance,
// callInstance and syncAndReleaseInstance (src/main/ets/utils/ClassInstanceUtil.ets), the
// NativeRequest class they make (utils/NativeRequest.ets) and the request it delegates to,
// AdvancedAPI's RequestTask (utils/advancedapi.min.js), over `@ohos.net.http` (ohos-http.js).
// MODELS.md quotes what each part does.
'use strict'
const { createHttp, HttpDataType } = require('./ohos-http')

// ArkWeb's default user agent (webController.getUserAgent()), as its docs give its form.
const WEB_USER_AGENT = 'Mozilla/5.0 (Phone; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile'
// TaroHybridManager.customUserAgent's default.
const CUSTOM_USER_AGENT = ''

// AdvancedAPI's errMsgMap: a failure's errMsg by the BusinessError's code (its words, its typo).
const ERR_MSG = new Map([
  [401, 'Parameter error'],
  [201, 'Permission denied'],
  [2300003, 'URL using bad/illegal format or missing URL'],
  [2300006, 'Could not resolve host name'],
  [2300007, 'Couldn not connect to server'],
  [2300009, 'Access denied to remote resource'],
  [2300023, 'Failed writing received data to disk/application'],
  [2300025, 'Upload failed'],
  [2300026, 'Failed to open/read local data from file/application'],
  [2300028, 'Timeout was reached'],
  [2300073, 'Remote file already exists'],
  [2300078, 'Remote file not found'],
  [2300999, 'Unknown Other Error'],
])

// AdvancedAPI's RequestTask (advancedapi.min.js, class RequestTask).
function requestTask(options) {
  const { url, header, method = 'GET', timeout, responseType, enableCache } = options
  let data = options.data
  const { success, fail, complete } = options
  let httpRequest = createHttp()
  let aborted = false
  let result
  const headersCallback = new Map()
  // A urlencoded content-type, or a method it counts as GET-like, turns an object data into
  // encodeURIComponent(k)=encodeURIComponent(v)&…; header values become strings.
  let form = false
  for (const name in header) {
    if (name.toLowerCase() === 'content-type') {
      if (String(header[name]).toLowerCase().includes('application/x-www-form-urlencoded')) form = true
      break
    }
  }
  if (data && (form || ['GET', 'OPTIONS', 'DELETE', 'TRACE', 'CONNECT'].includes(method))) {
    const pairs = []
    for (const key in data) pairs.push(encodeURIComponent(key) + '=' + encodeURIComponent(data[key]))
    data = pairs.join('&')
  }
  if (header) for (const name in header) header[name] = '' + header[name]
  const request = {
    method,
    extraData: data || {},
    header,
    expectDataType: responseType && responseType === 'arraybuffer' ? HttpDataType.ARRAY_BUFFER : HttpDataType.STRING,
    usingCache: enableCache || false,
  }
  // Its own timer, timeout or 60 s: fail with 'Timeout was reached', then complete.
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    if (fail && !aborted) fail((result = { errMsg: 'Timeout was reached' }))
    if (complete && !aborted) complete(result)
    if (httpRequest) (httpRequest.destroy(), (httpRequest = undefined))
  }, timeout || 60000)
  // An aborted request's timer stays, as the container's does; it keeps no process alive.
  timer.unref()
  httpRequest
    .request(typeof url === 'string' ? url : '', request)
    .then((response) => {
      clearTimeout(timer)
      if (!success || aborted) return
      let body = response.result
      let isArrayBuffer = false
      if (responseType && responseType !== 'json') {
        if (Object.prototype.toString.call(body) === '[object ArrayBuffer]') {
          body = Buffer.from(body).toString('base64')
          isArrayBuffer = true
        }
      } else if (typeof response.result === 'string') {
        try {
          body = JSON.parse(body)
        } catch {}
      }
      const cookies = typeof response.cookies === 'string' ? (response.cookies ? [response.cookies] : []) : response.cookies
      success((result = { isArrayBuffer, data: body, statusCode: response.responseCode, header: response.header, cookies, errMsg: 'request:ok' }))
    })
    .catch((error) => {
      clearTimeout(timer)
      if (timedOut || !fail || aborted) return
      fail((result = { errMsg: ERR_MSG.has(error.code) ? ERR_MSG.get(error.code) : 'Unknown Error' }))
    })
    .finally(() => {
      if (timedOut) return
      if (complete && !aborted) complete(result)
      if (httpRequest) (httpRequest.destroy(), (httpRequest = undefined))
    })
  return {
    abort() {
      aborted = true
      if (!httpRequest) return
      httpRequest.destroy()
      httpRequest = undefined
      const res = { errMsg: 'request:fail abort' }
      if (fail) fail(res)
      if (complete) complete(res)
    },
    onHeadersReceived(listener) {
      if (!listener || headersCallback.has(listener)) return
      const wrapped = (headers) => aborted || listener({ header: headers })
      headersCallback.set(listener, wrapped)
      if (httpRequest) httpRequest.on('headersReceive', wrapped)
    },
    offHeadersReceived(listener) {
      if (!listener) {
        headersCallback.clear()
        if (httpRequest) httpRequest.off('headersReceive')
      } else if (headersCallback.has(listener)) {
        if (httpRequest) httpRequest.off('headersReceive', headersCallback.get(listener))
        headersCallback.delete(listener)
      }
    },
  }
}

// NativeRequest.createRequest (utils/NativeRequest.ets): bufBase64 back to an ArrayBuffer data,
// and the WebView's user agent added (addCustomUserAgent), before AdvancedAPI's request.
function nativeRequest(option) {
  if (option.bufBase64) {
    option.data = new Uint8Array(Buffer.from(option.bufBase64, 'base64')).buffer
    option.bufBase64 = undefined
  }
  const fullUserAgent = WEB_USER_AGENT + ' ' + CUSTOM_USER_AGENT
  if (!option.header) option.header = { 'user-agent': fullUserAgent }
  else if (!option.header['user-agent']) option.header['user-agent'] = fullUserAgent
  else option.header['user-agent'] = option.header['user-agent'] + ' ' + CUSTOM_USER_AGENT
  return requestTask(option)
}

// ClassInstanceApi (utils/ClassInstanceUtil.ets): instances by id, per class.
function createContainer() {
  let requests = new Map()
  let instanceId = 0
  const instanceOf = (objectId) => requests.get(objectId)
  const call = (objectId, property, option) => {
    const instance = instanceOf(objectId)
    if (!instance) return undefined
    return option ? instance[property](option) : instance[property]()
  }
  return {
    createInstance(options) {
      if (!options || options.className !== 'NativeRequest') return -1
      const id = instanceId++
      requests.set(id, nativeRequest(options))
      return id
    },
    callInstance(options) {
      if (options && options.type === 'function') return call(options.objectId, options.property, options.option)
      return undefined
    },
    callInstanceAsync(options) {
      this.callInstance(options)
    },
    // The ids the page still holds: the others are dropped (every one when it holds none).
    syncAndReleaseInstance(options) {
      const held = (options && options.option) || []
      if (!held.length) requests = new Map()
      else for (const id of [...requests.keys()]) if (!held.includes(id)) requests.delete(id)
    },
    // Releases before 3.6.31 call `request` and name the instance in a second argument; the
    // container of today has no such method, so these route to the same request (MODELS.md).
    request(options) {
      return this.createInstance({ ...options, className: 'NativeRequest' })
    },
    abort(option, objectId) {
      call(objectId, 'abort')
    },
    onHeadersReceived(option, objectId) {
      call(objectId, 'onHeadersReceived', option)
    },
    offHeadersReceived(option, objectId) {
      call(objectId, 'offHeadersReceived', option)
    },
  }
}

module.exports = { createContainer, requestTask, WEB_USER_AGENT }
