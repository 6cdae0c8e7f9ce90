// taro-harmony-ets: @tarojs/plugin-platform-harmony-ets's Taro.request, bundled unmodified by
// build.js, over a model of HarmonyOS's `@ohos.net.http` written from its reference and netstack's
// sources (../taro-harmony-hybrid/MODELS.md, and MODELS.md here). The request is ArkTS-compatible
// TypeScript that a HarmonyOS app runs in its ArkTS engine; here each case runs it in a fresh
// jsdom window (a plain script realm: it touches no DOM) with the model as its system module.
'use strict'
const path = require('node:path')
const jsdom = require('jsdom')
const { serve } = require('../lib/protocol')
const { jsdomRunner } = require('../lib/jsdom')
const { distDir } = require('../lib/versions')
const { createHttp } = require('../taro-harmony-hybrid/model/ohos-http')

const DIST = distDir(__dirname)
const BUNDLE_PATH = path.join(DIST, 'taro-harmony-ets-request.js')
const versions = require(path.join(DIST, 'version.json'))

// The system modules the bundle imports (build.js resolves them to `globalThis.__ohos`).
function installGlobals(window) {
  window.__ohos = { http: { createHttp } }
}

async function start() {
  return {
    name: 'taro-harmony-ets',
    version: versions.plugin,
    platform: 'harmony',
    runtime: `Taro layer over a documented model of HarmonyOS's native API (@ohos.net.http): @tarojs/plugin-platform-harmony-ets ${versions.plugin}, jsdom ${require('jsdom/package.json').version}, node ${process.versions.node}`,
    // The app's Taro.request is the plugin's function itself: no interceptors; abort() destroys
    // the HttpRequest; a per-call timeout goes to its read and connect timeouts.
    capabilities: ['core', 'abort', 'timeout'],
    concurrency: 8,
  }
}

serve({ start, runCase: jsdomRunner(jsdom, BUNDLE_PATH, { installGlobals }), stop: async () => {} })
