// Lark's (Feishu's) tt.request, as open.feishu.cn documents it; what that page leaves out follows
// ByteDance's tt.request, whose engine Lark's mini-programs share (MODELS.md, "lark").
'use strict'
const { wechatStyle } = require('./wechat-style')

module.exports = wechatStyle({
  methods: ['GET', 'POST', 'PUT', 'HEAD', 'DELETE'], // the page's list, no more
  fixedHeaders: [['Referer', 'https://tmaservice.developer.toutiao.com/?appid=testappid&version=devtools']],
  perCallTimeout: false, // the page names no `timeout` option
  defaultTimeoutMs: 60000,
  successErrMsg: true, // as ByteDance's
  taskMethods: ['abort'],
})
