// taro-rn: the published @tarojs/taro-rn Taro.request (dist/lib/request/index.js), unmodified,
// over the fetch React Native users get — whatwg-fetch on XMLHttpRequest — here jsdom's
// XMLHttpRequest in a fresh window per case. React Native itself is not involved: its fetch is
// the polyfill, and the request function imports nothing from it.
'use strict'
const path = require('node:path')
const jsdom = require('jsdom')
const { serve, jsdomRunner } = require('../lib/protocol')
// The build under test: the pinned version (dist/), or another one set up with
// `taro-conformance setup taro-rn --taro VERSION` (versions/VERSION/dist/), which the runner names
// in TARO_CONFORMANCE_TARO.
const TARO = process.env.TARO_CONFORMANCE_TARO
const DIST = TARO ? path.join(__dirname, 'versions', TARO, 'dist') : path.join(__dirname, 'dist')
const { taroRn } = require(path.join(DIST, 'version.json'))

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

serve({ start, runCase: jsdomRunner(jsdom, path.join(DIST, 'taro-rn-request.js')), stop: async () => {} })
