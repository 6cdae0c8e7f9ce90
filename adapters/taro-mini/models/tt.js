// ByteDance's (Douyin) tt.request, as developer.open-douyin.com documents it (MODELS.md, "tt").
'use strict'
const { wechatStyle, WECHAT_METHODS } = require('./wechat-style')

module.exports = wechatStyle({
  methods: [...WECHAT_METHODS, 'PATCH'], // PATCH since 2.42.0
  forbiddenHeaders: ['referer', 'user-agent'],
  fixedHeaders: [
    ['Referer', 'https://tmaservice.developer.toutiao.com/?appid=testappid&version=devtools'],
    ['User-Agent', 'Mozilla/5.0 (model) Douyin/0.0.0 ToutiaoMicroApp/0.0.0 PluginVersion/0.0.0'],
  ],
  perCallTimeout: true, // 2.31.0+
  defaultTimeoutMs: 60000,
  maxTimeoutMs: 60000,
  successErrMsg: true, // "${apiName}:ok", the async-API convention
  taskMethods: ['abort', 'onHeadersReceived', 'offHeadersReceived'],
})
