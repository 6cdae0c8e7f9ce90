// The profile shape shared by the platforms whose request follows WeChat's: options named
// url/data/header/method/dataType/responseType, a result of data/statusCode/header, any HTTP
// status a success. Each platform file (wx.js, qq.js, jd.js, swan.js, tt.js) fills in what its
// vendor documents; MODELS.md gives the sources.
'use strict'
const { decode, Problem, Failure } = require('./native')

const WECHAT_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']

// The reason after "request:fail " for each failure; real clients print their network stack's
// own words here (cronet codes, localised iOS text), which no document fixes.
const REASONS = {
  [Problem.badUrl]: 'parameter error: parameter.url should be a non-empty String',
  [Problem.badMethod]: 'parameter error: parameter.method is not a supported method',
  [Problem.badData]: 'parameter error: parameter.data is of an unsupported type',
  [Failure.invalidUrl]: 'invalid url',
  [Failure.timeout]: 'timeout',
  [Failure.aborted]: 'abort',
}
const failMessage = (kind) => `request:fail ${REASONS[kind] || kind}`

const pick = (object, names) => Object.fromEntries(names.filter((n) => n in object).map((n) => [n, object[n]]))

// spec: { methods, fixedHeaders ([name, value] pairs always sent: the platform's referer),
//         forbiddenHeaders (lower-case names a caller cannot set), perCallTimeout (whether the
//         `timeout` option exists), defaultTimeoutMs, maxTimeoutMs, successErrMsg, cookies,
//         taskMethods, failObject (kind -> fail argument), acceptsData (data -> boolean) }
function wechatStyle(spec) {
  return {
    perCallTimeout: Boolean(spec.perCallTimeout),
    methods: spec.methods || WECHAT_METHODS,
    forbiddenHeaders: spec.forbiddenHeaders || ['referer'],
    fixedHeaders: spec.fixedHeaders || [],
    acceptsData: spec.acceptsData,
    read: (options) => ({
      url: options.url,
      method: options.method,
      data: options.data,
      header: options.header,
      dataType: options.dataType,
      responseType: options.responseType,
      timeout: options.timeout,
    }),
    timeoutMs(call) {
      const asked = spec.perCallTimeout && typeof call.timeout === 'number' && call.timeout > 0 ? call.timeout : spec.defaultTimeoutMs
      return Math.min(asked, spec.maxTimeoutMs || Infinity)
    },
    // responseType arraybuffer gives the bytes (dataType is then moot); otherwise dataType json
    // (the default) parses once and keeps the text when that fails, any other value keeps text.
    decode(view, call) {
      if (call.responseType === 'arraybuffer') return decode.bytes(view)
      if (call.dataType === undefined || call.dataType === 'json') return decode.jsonOrText(view)
      return decode.text(view)
    },
    success(view, data) {
      const result = { data, statusCode: view.status, header: view.header }
      if (spec.cookies) result.cookies = view.cookies
      if (spec.successErrMsg) result.errMsg = 'request:ok'
      return result
    },
    fail: spec.failObject || ((kind) => ({ errMsg: failMessage(kind) })),
    task: (methods) => pick(methods, spec.taskMethods || ['abort']),
    headersEvent: ({ status, header, cookies }) => ({ header, statusCode: status, cookies }),
  }
}

module.exports = { wechatStyle, failMessage, WECHAT_METHODS }
