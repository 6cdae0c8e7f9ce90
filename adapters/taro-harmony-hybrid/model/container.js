// A model of the native half of the HarmonyOS hybrid container (`@hybrid/web-container`, the
// ArkTS project Taro's docs tell an app to embed): the `NativeRequest` class that the plugin's
// ClassInstanceManager creates through the bridge, over `@ohos.net.http` (ohos-http.js). The
// container's own source is not published where it could be read, so each mapping here is the
// plainest reading of the fields the plugin sends and reads back (MODELS.md marks them).
'use strict'
const { createHttp, HttpDataType } = require('./ohos-http')

const toBase64 = (buffer) => Buffer.from(buffer).toString('base64')

// What the plugin reads back on success: { data, statusCode, header, cookies, errMsg } and
// `isArrayBuffer` with `data` as base64 (the bridge carries no ArrayBuffer).
function successOf(response, options) {
  const wantsBytes = options.dataType === 'arraybuffer' || options.responseType === 'arraybuffer'
  let data = response.result
  if (data instanceof ArrayBuffer) data = toBase64(data)
  else if (!wantsBytes && (options.dataType === undefined || options.dataType === 'json') && typeof data === 'string') {
    // The mini-program convention Taro's typings document: json is parsed, and kept as text
    // when it is not JSON.
    try {
      data = JSON.parse(data)
    } catch {}
  }
  const cookies = Array.isArray(response.header['set-cookie']) ? response.header['set-cookie'] : []
  return { data, statusCode: response.responseCode, header: response.header, cookies, errMsg: 'request:ok', isArrayBuffer: response.resultType === HttpDataType.ARRAY_BUFFER }
}

// Native classes by the name the plugin gives `createInstance`; each instance by objectId.
function createContainer() {
  const instances = new Map()
  let nextId = 1
  const classes = {
    NativeRequest(options) {
      const httpRequest = createHttp()
      const extraData = typeof options.bufBase64 === 'string' ? new Uint8Array(Buffer.from(options.bufBase64, 'base64')).buffer : options.data
      const wantsBytes = options.dataType === 'arraybuffer' || options.responseType === 'arraybuffer'
      const timeout = typeof options.timeout === 'number' && options.timeout > 0 ? options.timeout : undefined
      httpRequest.request(
        options.url,
        {
          method: options.method,
          header: options.header,
          extraData,
          expectDataType: wantsBytes ? HttpDataType.ARRAY_BUFFER : HttpDataType.STRING,
          readTimeout: timeout,
          connectTimeout: timeout,
        },
        (error, response) => {
          httpRequest.destroy()
          if (error) {
            if (typeof options.fail === 'function') options.fail({ errMsg: `request:fail ${error.message}`, errno: error.code })
            return
          }
          if (typeof options.success === 'function') options.success(successOf(response, options))
        },
      )
      return {
        abort: () => httpRequest.destroy(),
        onHeadersReceived: (listener) => httpRequest.on('headersReceive', (header) => listener({ header })),
        offHeadersReceived: () => httpRequest.off('headersReceive'),
      }
    },
  }
  const call = (objectId, property, option) => {
    const instance = instances.get(objectId)
    if (instance && typeof instance[property] === 'function') return instance[property](option)
  }
  return {
    // 3.6.25–3.6.30: `native.request(options)` answers an objectId, and `abort`,
    // `onHeadersReceived` and `offHeadersReceived` name it (the plugin's NativeRequest.getRequestTask).
    request(options) {
      return this.createInstance({ ...options, className: 'NativeRequest' })
    },
    abort(option, objectId) {
      call(objectId, 'abort', option)
    },
    onHeadersReceived(option, objectId) {
      call(objectId, 'onHeadersReceived', option)
    },
    offHeadersReceived(option, objectId) {
      call(objectId, 'offHeadersReceived', option)
    },
    // 3.6.31 on: one class bridged by name (ClassInstanceManager).
    createInstance(option) {
      const make = classes[option && option.className]
      if (!make) return undefined
      const objectId = nextId++
      instances.set(objectId, make(option))
      return objectId
    },
    callInstance({ objectId, property, option }) {
      return call(objectId, property, option)
    },
    callInstanceAsync(call) {
      this.callInstance(call)
    },
    // The plugin names the objectIds it still holds: the others are let go.
    syncAndReleaseInstance({ option }) {
      const held = new Set(Array.isArray(option) ? option : [])
      for (const id of instances.keys()) if (!held.has(id)) instances.delete(id)
    },
  }
}

module.exports = { createContainer }
