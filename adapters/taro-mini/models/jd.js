// JD's jd.request. JD's own pages could not be read; this is the WeChat-compatible shape that
// Taro (no mapping for jd) and the secondary sources imply (MODELS.md, "jd").
'use strict'
const { wechatStyle } = require('./wechat-style')

module.exports = wechatStyle({
  perCallTimeout: false,
  defaultTimeoutMs: 60000,
  successErrMsg: true,
  taskMethods: ['abort'],
})
