// A model of the JavaScript bridge the HarmonyOS hybrid container injects into its WebView,
// after its source (jiangfeng52/harmonyos-shell, TaroWebContainer/JsBridge/app.ts):
// `window.MethodChannel.jsBridgeMode({ isAsync, autoRelease })` is the decorator the plugin puts
// on each NativeApi method (dist/api/apis/harmony-native/ApiDecorator.js). A decorated call sends
// its first argument as JSON (`properties`), naming its functions (`funs`), which stay on the
// page as a stub the native side calls back later; `autoRelease` drops the stub after its first
// callback, else after `complete`. The native side is container.js.
'use strict'

const json = (value) => {
  const text = JSON.stringify(value)
  return text === undefined ? undefined : JSON.parse(text)
}

// The own function members of a value (app.ts getAllFuns).
const funsOf = (value) => (value && typeof value === 'object' ? Object.keys(value).filter((key) => typeof value[key] === 'function') : [])

// `installBridge(window, container, { onCall })` puts MethodChannel on the page's window before
// the plugin loads (its decorators read it once, as the module loads). `onCall(name, args)` hears
// every native call with the arguments as the plugin passed them.
function installBridge(window, container, { onCall } = {}) {
  const stubs = new Map()
  let nextStub = 0
  // What the native side gets for the page's first argument: its JSON, with a callable for each
  // function that reaches the page's stub on a later turn (runJavaScript), its arguments as JSON.
  const toNative = (arg, mode) => {
    const isFun = typeof arg === 'function'
    const funs = funsOf(arg)
    if (!isFun && !funs.length) return json(arg)
    const stubId = nextStub++
    stubs.set(stubId, { object: arg, isFun, autoRelease: mode.autoRelease !== false })
    const callBack = (call) => (...args) => setImmediate(() => pageStub({ call, args: json(args), stubId }))
    if (isFun) return callBack(undefined)
    const native = json(arg) || {}
    for (const name of funs) native[name] = callBack(name)
    return native
  }
  // app.ts __ArgsMethodStub: a callback from the native side, to the page's function.
  const pageStub = ({ call, args, stubId }) => {
    const stub = stubs.get(stubId)
    if (!stub) return
    if (stub.autoRelease || call === 'complete') stubs.delete(stubId)
    if (stub.isFun) stub.object(...(args || []))
    else if (typeof stub.object[call] === 'function') stub.object[call](...(args || []))
  }
  const invoke = (name, args, mode) => {
    if (onCall) onCall(name, args)
    const method = container[name]
    const [first, ...rest] = args
    const crossed = [toNative(first === undefined ? '' : first, mode), ...rest.map(json)]
    const result = typeof method === 'function' ? method.apply(container, crossed) : undefined
    return mode.isAsync ? undefined : json(result)
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
  // 3.6.23 and 3.6.24 call an object the container injects as `native` directly: its request
  // answers a task whose methods go back to the same native request (MODELS.md).
  window.native = {
    request(options) {
      const objectId = invoke('request', [options], { isAsync: false, autoRelease: true })
      return {
        abort: () => invoke('abort', [{}, objectId], { isAsync: false }),
        onHeadersReceived: (listener) => invoke('onHeadersReceived', [listener, objectId], { isAsync: true, autoRelease: false }),
        offHeadersReceived: (listener) => invoke('offHeadersReceived', [listener, objectId], { isAsync: false }),
      }
    },
  }
}

module.exports = { installBridge }
