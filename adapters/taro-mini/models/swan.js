// Baidu's swan.request, as smartprogram.baidu.com documents it, for the Android client (which
// alone sends TRACE and CONNECT) (MODELS.md, "swan").
'use strict'
const { types } = require('node:util')
const { wechatStyle, failMessage } = require('./wechat-style')
const { Problem, Failure } = require('./native')

// The documented Android codes: 201 "parse failed, check the invoke protocol", 1001 "failed".
const errCode = (kind) => ([Problem.badUrl, Problem.badMethod, Problem.badData].includes(kind) ? 201 : kind === Failure.invalidUrl ? 201 : 1001)

module.exports = wechatStyle({
  fixedHeaders: [['Referer', 'https://smartapps.cn/touristappkey/devtools/page-frame.html']],
  perCallTimeout: false, // only app.json's networkTimeout.request
  defaultTimeoutMs: 60000,
  successErrMsg: false, // the success fields are data, statusCode, header
  // data is Object/String; ArrayBuffer is not among the documented types.
  acceptsData: (data) => !(types.isArrayBuffer(data) || ArrayBuffer.isView(data)),
  failObject: (kind) => ({ errCode: errCode(kind), errMsg: failMessage(kind) }),
  taskMethods: ['abort'],
})
