// taro-h5-jsdom: the published @tarojs/taro-h5 Taro.request in jsdom, for machines without a
// browser. jsdom has no fetch, so Taro's whatwg-fetch polyfill runs over jsdom's XMLHttpRequest;
// scripts are enabled so JSONP's <script> tags load. No `browser-fetch`: mode, credentials and
// cache need a real browser.
'use strict'
const jsdom = require('jsdom')
const { serve } = require('../lib/protocol')
const { jsdomRunner } = require('../lib/jsdom')
const { CAPABILITIES, TARO_H5_VERSION, BUNDLE_PATH } = require('./platform')

async function start() {
  return {
    name: 'taro-h5-jsdom',
    version: TARO_H5_VERSION,
    platform: 'h5',
    runtime: `jsdom ${require('jsdom/package.json').version} on node ${process.versions.node}`,
    capabilities: CAPABILITIES,
    concurrency: 8,
  }
}

serve({ start, runCase: jsdomRunner(jsdom, BUNDLE_PATH), stop: async () => {} })
