// taro-h5-jsdom: the published @tarojs/taro-h5 Taro.request in jsdom, for machines without a
// browser. jsdom has no fetch, so Taro's whatwg-fetch polyfill runs over jsdom's XMLHttpRequest;
// scripts are enabled so JSONP's <script> tags load. No `browser-fetch`: mode, credentials and
// cache need a real browser.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')
const { JSDOM, VirtualConsole } = require('jsdom')
const { serve, pageOrigin, PAGE_HTML, PAGE_PATH, CAPABILITIES, TARO_H5_VERSION } = require('./protocol')

// Compiled once, run in every case's fresh window.
const BUNDLE = new vm.Script(fs.readFileSync(path.join(__dirname, 'dist', 'taro-h5-request.js'), 'utf8'), {
  filename: 'taro-h5-request.js',
})

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

async function runCase(testCase) {
  const virtualConsole = new VirtualConsole()
  virtualConsole.on('jsdomError', (error) => console.error(`[jsdom] ${error.message}`))
  const dom = new JSDOM(PAGE_HTML, {
    url: pageOrigin(testCase) + PAGE_PATH,
    runScripts: 'dangerously',
    resources: 'usable',
    virtualConsole,
  })
  try {
    for (const [url, jar] of Object.entries((testCase.page && testCase.page.cookies) || {})) {
      for (const [name, value] of Object.entries(jar)) dom.cookieJar.setCookieSync(`${name}=${value}`, url)
    }
    BUNDLE.runInContext(dom.getInternalVMContext())
    return await dom.window.__taroConformance.runCase(testCase)
  } finally {
    dom.window.close()
  }
}

serve({ start, runCase, stop: async () => {} })
