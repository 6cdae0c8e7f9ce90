// What the H5 adapters say about the platform under test, and where its bundle is.
'use strict'
const path = require('node:path')

// Everything the H5 docs claim; `browser-fetch` is added by the Chromium adapter only.
const CAPABILITIES = ['core', 'abort', 'h5-timeout', 'timeout', 'h5-jsonp', 'h5-retry', 'h5-store', 'interceptors']

// The build under test: the pinned version (dist/), or another one set up with
// `taro-conformance setup NAME --taro VERSION` (versions/VERSION/dist/), which the runner names
// in TARO_CONFORMANCE_TARO when it starts the adapter.
const DIST = require('../lib/versions').distDir(__dirname)
const BUNDLE_PATH = path.join(DIST, 'taro-h5-request.js')

// Written by build.js from the installed package.
const { taroH5: TARO_H5_VERSION } = require(path.join(DIST, 'version.json'))

module.exports = { CAPABILITIES, TARO_H5_VERSION, BUNDLE_PATH }
