// The mini-program platforms, each named as its plugin is (@tarojs/plugin-platform-NAME): the
// global its Taro layer reads, the native model put there, the words every report uses for the
// column, and the platform's id (its TARO_ENV and matrix column) where it is not NAME. The last
// three are community plugins: their releases are not Taro's, so `taro` pins the @tarojs/taro
// (and runtime, shared) every release of the plugin runs over (packages/NAME/package.json).
'use strict'
const { createRequest } = require('./native')

const platform = (global, profile, vendor, more = {}) => ({ global, profile: require(profile), vendor, ...more })

const platforms = {
  weapp: platform('wx', './wx', 'WeChat'),
  alipay: platform('my', './my', 'Alipay'),
  swan: platform('swan', './swan', 'Baidu'),
  tt: platform('tt', './tt', 'ByteDance'),
  qq: platform('qq', './qq', 'QQ'),
  jd: platform('jd', './jd', 'JD'),
  lark: platform('tt', './lark', 'Lark (Feishu)', { community: true }),
  kwai: platform('ks', './kwai', 'Kuaishou', { community: true }),
  // Its runtime extends WeChat's plugin's (@tarojs/plugin-platform-weapp/dist/runtime-utils).
  // WeChat Work's `wx` also has `wx.qy`, its own APIs (none a request, none modelled), which the
  // plugin's 0.0.5 reads at load.
  'weapp-qy': platform('wx', './weapp-qy', 'WeChat Work', {
    community: true,
    id: 'qywx',
    layers: ['@tarojs/plugin-platform-weapp'],
    namespaces: ['qy'],
  }),
}
for (const [name, entry] of Object.entries(platforms)) entry.id = entry.id || name

// The platform's global object as its Taro layer sees it: the native `request` and `canIUse`,
// which Alipay's layer asks, and any empty namespaces the platform lists. `onCall(options)`, if given, first hears each call with the option
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
  for (const namespace of platforms[name].namespaces || []) global[namespace] = {}
  return { global, retire: request.retire }
}

const nativeGlobal = (name, onCall) => nativeModel(name, onCall).global

module.exports = { platforms, nativeGlobal, nativeModel }
