// WeChat's wx.request, as developers.weixin.qq.com documents it (MODELS.md, "weapp").
'use strict'
const { wechatStyle } = require('./wechat-style')

module.exports = wechatStyle({
  fixedHeaders: [['Referer', 'https://servicewechat.com/touristappid/devtools/page-frame.html']],
  perCallTimeout: true, // `timeout`, base library 2.10.0+
  defaultTimeoutMs: 60000,
  successErrMsg: true, // "${apiName}:ok", the async-API convention
  cookies: true, // res.cookies, base library 2.10.0+
  taskMethods: ['abort', 'onHeadersReceived', 'offHeadersReceived'],
})
