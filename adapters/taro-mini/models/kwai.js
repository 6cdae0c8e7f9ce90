// Kuaishou's ks.request. Kuaishou's pages could not be read; Taro's kwai layer maps nothing
// (`processApis(taro, ks)`), as neither does uni-app's: both treat it as WeChat-compatible, the
// basis of the JD model, which this reuses (MODELS.md, "kwai").
'use strict'
module.exports = require('./jd')
