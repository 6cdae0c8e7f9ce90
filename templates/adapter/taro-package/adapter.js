// {{ name }}: the published {{ package }} Taro.request, unmodified, in jsdom. Each case runs in a
// fresh jsdom window with the bundle build.js made (the package's request and the harness), by
// the kit's runner (../lib/jsdom.js, README.md there).
'use strict'
const path = require('node:path')
const jsdom = require('jsdom')
const { serve } = require('../lib/protocol')
const { jsdomRunner } = require('../lib/jsdom')
const { distDir } = require('../lib/versions')

// The build under test: the pinned version (dist/), or the one the runner names in
// TARO_CONFORMANCE_TARO (versions/VERSION/dist/, set up with `setup {{ name }} --taro VERSION`).
const DIST = distDir(__dirname)
const VERSIONS = require(path.join(DIST, 'version.json'))

// What the platform's runtime puts in the page before the app's script runs, such as a native
// bridge object the package calls; it runs in each fresh window before the bundle loads. A plain
// page needs nothing.
function installGlobals(window, testCase) {}

async function start() {
  return {
    name: '{{ name }}',
    version: VERSIONS.package,
    platform: 'h5',
    runtime: `jsdom ${require('jsdom/package.json').version} on node ${process.versions.node}`,
    // What the package's docs claim (README's capability table). @tarojs/taro-h5 also has
    // h5-timeout, h5-jsonp, h5-retry and h5-store.
    capabilities: ['core', 'abort', 'interceptors'],
    concurrency: 8,
  }
}

serve({
  start,
  runCase: jsdomRunner(jsdom, path.join(DIST, 'taro-request.js'), { installGlobals }),
  stop: async () => {},
})
