// How many navigations a second this machine's Chromium makes, with 1, 2, 4 and 8 worker pages:
// each worker loads the adapter's own page (the bundle and the harness) at a new loopback origin,
// answered by a route as the adapter answers it, and evaluates one expression there; nothing else.
//
//   node bench-navigation.js [NAVIGATIONS]      (default 189, one per case of the suite)
//
// Every case of the taro-h5-chromium suite needs one such navigation, so NAVIGATIONS ÷ the best
// rate is the least time the suite can take at this machine's speed, before any case's own call.
'use strict'
const { chromium } = require('playwright-core')
const { CHROMIUM, ARGS, PAGE } = require('./chromium')
const { PAGE_PATH } = require('../lib/protocol')

const NAVIGATIONS = Number(process.argv[2] || 189)

async function rate(browser, workers) {
  const pages = []
  for (let i = 0; i < workers; i++) {
    const page = await (await browser.newContext()).newPage()
    await page.route(`**${PAGE_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: PAGE }))
    pages.push(page)
  }
  let next = 0
  const started = performance.now()
  await Promise.all(pages.map(async (page) => {
    while (next < NAVIGATIONS) {
      // Ports nobody listens on: the route answers, so nothing is dialled.
      await page.goto(`http://127.0.0.1:${20000 + next++}${PAGE_PATH}`)
      if ((await page.evaluate(() => typeof window.__taroConformance)) !== 'object') throw new Error('the page has no harness')
    }
  }))
  const seconds = (performance.now() - started) / 1000
  await Promise.all(pages.map((page) => page.context().close()))
  return seconds
}

;(async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  console.log(`${browser.version()}, ${NAVIGATIONS} navigations`)
  for (const workers of [1, 2, 4, 8]) {
    const seconds = await rate(browser, workers)
    console.log(`${workers} worker page(s): ${seconds.toFixed(2)} s, ${(NAVIGATIONS / seconds).toFixed(1)} navigations/s`)
  }
  await browser.close()
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
