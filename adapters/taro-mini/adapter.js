// taro-mini: Taro's mini-program layer for one platform — @tarojs/plugin-platform-NAME's runtime
// and @tarojs/taro, bundled unmodified by build.js — over a model of that platform's native
// request API written from the vendor's documentation (models/, MODELS.md).
//
//   node adapter.js weapp|alipay|swan|tt|qq|jd|lark|kwai|weapp-qy
//
// Each case runs in a mini-program app (sandbox.js): a Node vm context with the platform global
// and the bundle, reused case after case and reset between two.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { serve } = require('../lib/protocol')
const { workerPool } = require('../lib/pool')
const { distDir } = require('../lib/versions')
const { platforms } = require('./models')
const { miniApp } = require('./sandbox')

const name = process.argv[2]
const platform = platforms[name]
if (!platform) {
  console.error(`usage: node adapter.js PLATFORM, one of: ${Object.keys(platforms).join(', ')} (got ${JSON.stringify(name)})`)
  process.exit(2)
}
// The build under test: the pinned versions (dist/NAME/), or another one set up with
// `taro-conformance setup taro-NAME --taro VERSION` (packages/NAME/versions/VERSION/dist/), which
// the runner names in TARO_CONFORMANCE_TARO.
const DIST = distDir(path.join(__dirname, 'packages', name), path.join(__dirname, 'dist', name))
const bundlePath = path.join(DIST, 'taro.js')
const bundle = new vm.Script(fs.readFileSync(bundlePath, 'utf8'), { filename: `taro-${name}.js` })
const versions = require(path.join(DIST, 'version.json'))

// One app per case that can run at once, all made at start (../lib/pool.js).
const CONCURRENCY = 16
const pool = workerPool(() => miniApp(name, bundle), (app) => app.reset(), CONCURRENCY)

async function runCase(testCase) {
  return pool.use((app) => app.harness.runCase(testCase))
}

async function start() {
  pool.fill()
  return {
    name: `taro-${name}`,
    version: versions.plugin,
    platform: platform.id,
    runtime: `Taro layer over a documented model of ${platform.vendor}'s native API (${platform.global}.request): @tarojs/plugin-platform-${name} ${versions.plugin}, @tarojs/taro ${versions.taro}, node ${process.versions.node}`,
    // The mini-program layer has Taro's interceptors and the native task's abort(); the H5
    // options are not its own. The model hears what the layer passes it (native-call).
    // `timeout` where the platform's request API documents one per call (the model's profile).
    capabilities: ['core', 'abort', 'interceptors', 'native-call', ...(platform.profile.perCallTimeout ? ['timeout'] : [])],
    concurrency: CONCURRENCY,
  }
}

serve({ start, runCase, stop: async () => {} })
