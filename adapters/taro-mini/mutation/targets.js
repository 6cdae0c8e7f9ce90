// What is mutated on each platform: the files of its pinned packages (under packages/NAME/
// node_modules) that the bundle holds, and the lines of each on the path of Taro.request. The rest
// of those files (the other APIs, the runtime's DOM) would only add mutants no request reaches.
// Line numbers are the published files'; the copies keep them.
'use strict'

const targets = {
  // WeChat's plugin has no request code of its own: initNativeApi hands `wx` to @tarojs/shared's
  // processApis, whose equipCommonApis makes Taro.request @tarojs/api's interceptor chain (Link,
  // Chain) ending in getNormalRequest over wx.request. processApis's own promisified `request` is
  // replaced by that chain, so it is left out.
  weapp: {
    '@tarojs/shared/dist/shared.esm.js': [
      [1197, 1231], // getNormalRequest: the options, the callbacks, the task's abort
      [1370, 1377], // equipCommonApis: Taro.request, addInterceptor, cleanInterceptors
      [1394, 1403], // equipTaskMethodsIntoPromise: the native task's methods on the promise
    ],
    '@tarojs/api/dist/index.esm.js': [
      [60, 105], // Chain and Link: the interceptors
    ],
    '@tarojs/plugin-platform-weapp/dist/runtime.js': [
      [37, 54], // initNativeApi's processApis(taro, wx, …)
    ],
  },
  // Alipay's plugin has its own request (header renamed to headers, status to statusCode), which
  // equipCommonApis puts at the end of the same chain.
  alipay: {
    '@tarojs/plugin-platform-alipay/dist/runtime.js': [
      [393, 443], // request
    ],
  },
}

// The platform a run mutates: TARO_MUTATION_PLATFORM, weapp unless set.
function target() {
  const name = process.env.TARO_MUTATION_PLATFORM || 'weapp'
  if (!targets[name]) throw new Error(`TARO_MUTATION_PLATFORM: no target "${name}"; one of: ${Object.keys(targets).join(', ')}`)
  return { name, files: targets[name] }
}

// Where the copy of a published file goes in this project.
const copyOf = (file) => `published/${file}`

module.exports = { target, copyOf }
