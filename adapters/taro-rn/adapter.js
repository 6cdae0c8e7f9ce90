// taro-rn: the published @tarojs/taro-rn Taro.request (dist/lib/request/index.js), unmodified,
// over the fetch React Native users get — whatwg-fetch on XMLHttpRequest — here jsdom's
// XMLHttpRequest in a fresh window per case. React Native itself is not involved: its fetch is
// the polyfill, and the request function imports nothing from it.
'use strict'
const path = require('node:path')
const jsdom = require('jsdom')
const { serve, jsdomRunner } = require('../lib/protocol')
const { taroRn } = require('./dist/version.json')

async function start() {
  return {
    name: 'taro-rn',
    version: taroRn,
    platform: 'rn',
    runtime: `whatwg-fetch ${require('whatwg-fetch/package.json').version} over jsdom ${require('jsdom/package.json').version} XHR, node ${process.versions.node}`,
    // Taro's RN request has abort() and no interceptors; the H5 options are not its own.
    capabilities: ['core', 'abort'],
    concurrency: 8,
  }
}

serve({ start, runCase: jsdomRunner(jsdom, path.join(__dirname, 'dist', 'taro-rn-request.js')), stop: async () => {} })
