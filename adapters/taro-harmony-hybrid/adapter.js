// taro-harmony-hybrid: @tarojs/plugin-platform-harmony-hybrid's Taro.request, bundled unmodified
// by build.js, on the path an app takes by default (`useNativeRequest = true`): through the
// JavaScript bridge the HarmonyOS container injects, to a model of the container's native
// request over `@ohos.net.http` (model/, MODELS.md). The page is a jsdom window, one per case,
// holding the bridge before the plugin loads; the request never touches the page's own network.
'use strict'
const path = require('node:path')
const jsdom = require('jsdom')
const { serve } = require('../lib/protocol')
const { jsdomRunner } = require('../lib/jsdom')
const { distDir } = require('../lib/versions')
const { installBridge } = require('./model/bridge')
const { createContainer } = require('./model/container')

// The build under test: the pinned version (dist/), or another one set up with `taro-conformance
// setup taro-harmony-hybrid --taro VERSION` (versions/VERSION/dist/).
const DIST = distDir(__dirname)
const BUNDLE_PATH = path.join(DIST, 'taro-harmony-hybrid-request.js')
const versions = require(path.join(DIST, 'version.json'))

// Each window gets its own container, as each WebView has its own: nothing is shared between cases.
function installGlobals(window) {
  installBridge(window, createContainer(), {
    // What the plugin hands the native side for the request: the case's `native` (native-call).
    onCall(name, [option]) {
      const request = (name === 'createInstance' && option && option.className === 'NativeRequest') || name === 'request'
      if (request && window.__taroConformance) {
        window.__taroConformance.nativeCall(option)
      }
    },
  })
}

async function start() {
  return {
    name: 'taro-harmony-hybrid',
    version: versions.plugin,
    platform: 'harmony_hybrid',
    runtime: `Taro layer over a documented model of the HarmonyOS container's native request (@ohos.net.http): @tarojs/plugin-platform-harmony-hybrid ${versions.plugin}, @tarojs/taro-h5 ${versions.taroH5}, jsdom ${require('jsdom/package.json').version}, node ${process.versions.node}`,
    // The plugin's native path has Taro's interceptors (its own Link) and the task's abort();
    // a per-call timeout goes to the native request's read and connect timeouts.
    capabilities: ['core', 'abort', 'interceptors', 'native-call', 'timeout'],
    concurrency: 8,
  }
}

serve({ start, runCase: jsdomRunner(jsdom, BUNDLE_PATH, { installGlobals }), stop: async () => {} })
