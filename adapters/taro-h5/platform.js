// What the H5 adapters say about the platform under test.
'use strict'

// Everything the H5 docs claim; `browser-fetch` is added by the Chromium adapter only.
const CAPABILITIES = ['core', 'abort', 'h5-timeout', 'h5-jsonp', 'h5-retry', 'h5-store', 'interceptors']

// Written by build.js from the installed package.
const { taroH5: TARO_H5_VERSION } = require('./dist/version.json')

module.exports = { CAPABILITIES, TARO_H5_VERSION }
