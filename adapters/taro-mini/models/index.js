// The six mini-program platforms: the global each one's Taro layer reads, the native model put
// there, and the words every report uses for the column.
'use strict'
const { createRequest } = require('./native')

const platform = (global, profile, vendor) => ({ global, profile: require(profile), vendor })

const platforms = {
  weapp: platform('wx', './wx', 'WeChat'),
  alipay: platform('my', './my', 'Alipay'),
  swan: platform('swan', './swan', 'Baidu'),
  tt: platform('tt', './tt', 'ByteDance'),
  qq: platform('qq', './qq', 'QQ'),
  jd: platform('jd', './jd', 'JD'),
}

// The platform's global object as its Taro layer sees it: the native `request` (a fresh model
// per case, so nothing is shared between cases) and `canIUse`, which Alipay's layer asks.
// `onCall(options)`, if given, first hears each call with the option object the layer passed.
function nativeGlobal(name, onCall) {
  const { profile } = platforms[name]
  const request = createRequest(profile)
  return {
    request: onCall
      ? (options) => {
          onCall(options)
          return request(options)
        }
      : request,
    canIUse: (api) => api === 'request',
  }
}

module.exports = { platforms, nativeGlobal }
