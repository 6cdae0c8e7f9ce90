// QQ's qq.request, as the QQ mini-program docs (v1.5.1) document it (MODELS.md, "qq").
'use strict'
const { wechatStyle } = require('./wechat-style')

module.exports = wechatStyle({
  fixedHeaders: [['Referer', 'https://appservice.qq.com/touristappid/devtools/page-frame.html']],
  perCallTimeout: false, // only app.json sets it: 60 s by default and at most
  defaultTimeoutMs: 60000,
  successErrMsg: true,
  taskMethods: ['abort'],
})
