// Baidu's swan.request, as smartprogram.baidu.com documents it, for the Android client (which
// alone sends TRACE and CONNECT) (MODELS.md, "swan").
'use strict'
const { wechatStyle, failMessage } = require('./wechat-style')
const { decode, Problem, Failure } = require('./native')
const { isBytes } = require('./encode')

// The documented Android codes: 201 "parse failed, check the invoke protocol", 1001 "failed".
const BAD_PARAMETERS = [Problem.badUrl, Problem.badMethod, Problem.badData, Failure.invalidUrl]
const errCode = (kind) => (BAD_PARAMETERS.includes(kind) ? 201 : 1001)

const profile = wechatStyle({
  fixedHeaders: [['Referer', 'https://smartapps.cn/touristappkey/devtools/page-frame.html']],
  perCallTimeout: false, // only app.json's networkTimeout.request
  defaultTimeoutMs: 60000,
  successErrMsg: false, // the success fields are data, statusCode, header
  // data is Object/String; ArrayBuffer is not among the documented types.
  acceptsData: (data) => !isBytes(data),
  failObject: (kind) => ({ errCode: errCode(kind), errMsg: failMessage(kind) }),
  taskMethods: ['abort'],
})

// Baidu documents dataType json (the default) and string; field reports say any value but
// 'string' still parses the body (MODELS.md, "swan": field evidence).
profile.decode = (view, call) => {
  if (call.responseType === 'arraybuffer') return decode.bytes(view)
  if (call.dataType === 'string') return decode.text(view)
  return decode.jsonOrText(view)
}

module.exports = profile
