// Alipay's my.request, as opendocs.alipay.com and Alipay's own typings document it (MODELS.md,
// "alipay"): `headers` in, `status`/`headers` out, numeric `error` codes, HTTP errors in fail.
'use strict'
const { decode, Problem, Failure } = require('./native')
const { WECHAT_METHODS } = require('./wechat-style')

// The documented codes: 2 bad parameters, 9 aborted, 12 network error, 13 timeout,
// 14 decoding failed, 19 HTTP error.
const ERRORS = {
  [Problem.badUrl]: [2, 'invalid parameter: url'],
  [Problem.badMethod]: [2, 'invalid parameter: method'],
  [Problem.badData]: [2, 'invalid parameter: data'],
  [Failure.invalidUrl]: [2, 'invalid parameter: url'],
  [Failure.aborted]: [9, 'request:fail abort'],
  [Failure.timeout]: [13, 'timeout'],
  [Problem.badJson]: [14, 'JSON parse data error'],
  [Problem.httpStatus]: [19, 'http status error'],
}

module.exports = {
  perCallTimeout: true, // `timeout`, default 30000 ms, at most 60000
  methods: WECHAT_METHODS, // the typings' list (the page's table names GET POST PUT DELETE)
  forbiddenHeaders: ['referer'],
  fixedHeaders: [['Referer', 'https://2021000000000000.hybrid.alipay-eco.com/2021000000000000/0.0.1/index.html#pages/index/index']],
  read: (options) => ({
    url: options.url,
    method: options.method,
    data: options.data,
    header: options.headers,
    dataType: options.dataType === undefined ? 'json_or_text' : options.dataType, // the default since base library 2.9.5
    timeout: options.timeout,
  }),
  timeoutMs: (call) => Math.min(typeof call.timeout === 'number' && call.timeout > 0 ? call.timeout : 30000, 60000),
  // The page names error 19 "HTTP error" without a threshold; field reports say any status but
  // 200 ends in fail (MODELS.md, "alipay": field evidence).
  isHttpError: (status) => status !== 200,
  // GET query values by String(): a nested object arrives as [object Object] (field report;
  // the docs are silent).
  getQueryValue: (value) => String(value),
  decode(view, call) {
    switch (call.dataType) {
      case 'json':
        return decode.jsonStrict(view)
      case 'base64':
        return `data:${view.contentType.split(';')[0]};base64,${view.base64()}`
      case 'arraybuffer':
        return decode.bytes(view)
      case 'json_or_text':
        return decode.jsonOrText(view)
      default:
        return decode.text(view)
    }
  },
  success: (view, data) => ({ data, status: view.status, headers: view.header }),
  fail(kind, detail, view) {
    const [error, errorMessage] = ERRORS[kind] || [12, kind]
    const result = { error, errorMessage }
    // An HTTP error or an undecodable body still carries the response (the FAQ's payloads).
    if (view) Object.assign(result, { data: view.text(), status: view.status, headers: view.header })
    return result
  },
  task: (methods) => ({ abort: methods.abort, onHeadersReceived: methods.onHeadersReceived, offHeadersReceived: methods.offHeadersReceived }),
  headersEvent: ({ header }) => ({ headers: header }),
}
