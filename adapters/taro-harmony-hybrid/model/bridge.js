// A model of the JavaScript bridge the HarmonyOS hybrid container injects into its WebView:
// `window.MethodChannel.jsBridgeMode({ isAsync, autoRelease })`, the decorator the plugin puts on
// each NativeApi method (dist/api/apis/harmony-native/ApiDecorator.js) so that a call goes to the
// container's native object (container.js) instead of the method's JavaScript body. Values cross
// as ArkWeb's JavaScript proxy carries them (MODELS.md): JSON-like data, and functions as
// callbacks the native side calls later, never inside the call.
'use strict'

// A value as it arrives on the native side: functions as callbacks called on a later turn,
// plain objects and arrays member by member, everything else as JSON would carry it.
function cross(value, later) {
  if (typeof value === 'function') return (...args) => later(() => value(...args.map((arg) => back(arg))))
  if (Array.isArray(value)) return value.map((item) => cross(item, later))
  if (value && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Object]') {
    const out = {}
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue
      out[key] = cross(item, later)
    }
    return out
  }
  const json = JSON.stringify(value)
  return json === undefined ? undefined : JSON.parse(json)
}

// A value the native side hands back to the page: JSON-like data.
const back = (value) => {
  const json = JSON.stringify(value)
  return json === undefined ? undefined : JSON.parse(json)
}

// `installBridge(window, container, { onCall })` puts MethodChannel on the page's window before
// the plugin loads (its decorators read it once, as the module loads). `onCall(name, args)` hears
// every native call with the arguments as the plugin passed them.
function installBridge(window, container, { onCall } = {}) {
  const later = (run) => setImmediate(run)
  const invoke = (name, args, mode) => {
    if (onCall) onCall(name, args)
    const method = container[name]
    if (typeof method !== 'function') return undefined
    const result = method.apply(container, args.map((arg) => cross(arg, later)))
    return mode.isAsync ? undefined : back(result)
  }
  // 3.6.24 calls the object the container injects as `native` directly: its request answers a
  // task whose methods go back to the same native request.
  window.native = {
    request(options) {
      const objectId = invoke('request', [options], { isAsync: false })
      return {
        abort: () => invoke('abort', [{}, objectId], { isAsync: false }),
        onHeadersReceived: (listener) => invoke('onHeadersReceived', [listener, objectId], { isAsync: true }),
        offHeadersReceived: (listener) => invoke('offHeadersReceived', [listener, objectId], { isAsync: false }),
      }
    },
  }
  window.MethodChannel = {
    jsBridgeMode(mode) {
      return (target, name, descriptor) => ({
        ...descriptor,
        value(...args) {
          return invoke(name, args, mode)
        },
      })
    },
  }
}

module.exports = { installBridge, cross }
