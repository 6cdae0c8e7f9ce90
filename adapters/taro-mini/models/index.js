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

// The platform's global object as its Taro layer sees it: the native `request` and `canIUse`,
// which Alipay's layer asks. `onCall(options)`, if given, first hears each call with the option
// object the layer passed. The model keeps no state between calls (no storage, no cookies); the
// calls still under way are its only state, which `retire()` detaches from the app (native.js).
function nativeModel(name, onCall) {
  const { profile } = platforms[name]
  const request = createRequest(profile)
  const global = {
    request: onCall
      ? (options) => {
          onCall(options)
          return request(options)
        }
      : request,
    canIUse: (api) => api === 'request',
  }
  return { global, retire: request.retire }
}

const nativeGlobal = (name, onCall) => nativeModel(name, onCall).global

module.exports = { platforms, nativeGlobal, nativeModel }
