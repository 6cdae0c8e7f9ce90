// taro-h5-chromium: the published @tarojs/taro-h5 Taro.request, run in Debian's headless
// Chromium through playwright-core.
//
// A few workers (a browser context and a page each) run the cases. Before each case a worker
// forgets everything the last one left: cookies, the HTTP cache, the origin's storage. Its page
// then navigates to the case's page origin; playwright answers that document itself, so the mock
// origin never sees it and "same-origin" means what it says. (A fresh context per case is
// cleaner still, but costs ~150 ms a case on a 2-core machine.)
'use strict'
const fs = require('node:fs')
const { chromium } = require('playwright-core')
const { serve, pageOrigin, PAGE_PATH } = require('../lib/protocol')
const { CAPABILITIES, TARO_H5_VERSION, BUNDLE_PATH } = require('./platform')

// Debian's Chromium, or the browser TARO_CONFORMANCE_CHROMIUM names (a CI runner's Chrome).
const CHROMIUM = process.env.TARO_CONFORMANCE_CHROMIUM || '/usr/bin/chromium'
// Without the background-networking flags Chromium keeps dialling out, and is refused here.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // The page's document comes from playwright, not from the loopback origin, so Chromium would
  // treat its requests to other loopback ports as public-to-local and hold them for a permission.
  // The rest makes each case's navigation cheaper without changing what a page can observe: a
  // page is never restored from the back-forward cache nor needs a new browsing instance (each
  // case navigates once), and one-frame pages gain nothing from process isolation. About a fifth
  // less CPU and wall time for the suite on a 2-core machine.
  '--disable-site-isolation-trials',
  `--disable-features=${[
    'LocalNetworkAccessChecks', 'PrivateNetworkAccessSendPreflights', 'BlockInsecurePrivateNetworkRequests',
    'BackForwardCache', 'ProactivelySwapBrowsingInstance', 'RenderDocument', 'PaintHolding',
    // Chromium reads only the last --disable-features, so the list playwright-core 1.65 passes
    // before ours is repeated here (its HTTPS upgrades, storage partitioning, optimization hints,
    // search preconnects and the rest stay off).
    'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
    'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'ThirdPartyStoragePartitioning',
    'AvoidCorsURLLoaderRestartOnRedirect', 'OptimizationHints', 'NetworkTimeServiceQuerying',
    'AimEnabled', 'PreconnectToSearch',
  ].join(',')}`]
const WORKERS = 4
const BUNDLE = fs.readFileSync(BUNDLE_PATH, 'utf8')
// The page: storage cleared before the bundle loads (jsonp-retry reads localStorage at load),
// then the request module and the harness. The icon link keeps /favicon.ico off the origin.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>try { localStorage.clear(); sessionStorage.clear() } catch (e) {}</script>
<script>${BUNDLE.replace(/<\/script/gi, '<\\/script')}</script></head><body></body></html>`

// TARO_CONFORMANCE_CHROMIUM_TIMINGS=FILE: when the adapter stops, FILE gets one JSON line with the
// milliseconds each step of a case took in this process, summed over the cases and the workers
// (the README's performance section quotes them; `evaluate` is the evaluation less the call's own
// elapsed time).
const TIMINGS = process.env.TARO_CONFORMANCE_CHROMIUM_TIMINGS
let cases = 0
const spent = { clear: 0, route: 0, goto: 0, unroute: 0, evaluate: 0, call: 0 }
async function timed(name, work) {
  if (!TIMINGS) return work
  const started = performance.now()
  try {
    return await work
  } finally {
    spent[name] += performance.now() - started
  }
}

let browser
const idle = []
const waiting = []

async function newWorker() {
  const context = await browser.newContext()
  const page = await context.newPage()
  page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`))
  const cdp = await context.newCDPSession(page)
  return { context, page, cdp }
}

async function take() {
  if (idle.length) return idle.pop()
  return new Promise((resolve) => waiting.push(resolve))
}

function give(worker) {
  if (waiting.length) waiting.shift()(worker)
  else idle.push(worker)
}

// Launches the browser and opens its worker pages; rejects (closing whatever it opened, even
// later) when that takes longer than `withinMs`, saying which step it was on. playwright's own
// launch timeout comes first, so a launch that hangs reports what Chromium printed.
async function openBrowser(withinMs) {
  let abandoned = false
  let launched
  let timer
  let step = 'launching the browser'
  const started = performance.now()
  const opening = (async () => {
    launched = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS, timeout: withinMs - 1000 })
    if (abandoned) return launched.close()
    browser = launched
    const launchedMs = Math.round(performance.now() - started)
    const workers = []
    for (let i = 0; i < WORKERS; i++) {
      step = `opening worker page ${i + 1} of ${WORKERS} (the browser launched in ${launchedMs} ms)`
      workers.push(await newWorker())
    }
    if (!abandoned) idle.push(...workers)
  })()
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${withinMs} ms, while ${step}`)), withinMs)
  })
  try {
    await Promise.race([opening, late])
  } catch (error) {
    abandoned = true
    opening.catch(() => {})
    if (launched) await launched.close().catch(() => {})
    browser = undefined
    throw new Error(briefly(error.message))
  } finally {
    clearTimeout(timer)
  }
}

// The first line of a start's error and the last lines of playwright's call log (Chromium's own
// output), without colours.
function briefly(message) {
  const lines = String(message).replace(/\x1b\[[0-9;]*m/g, '').split('\n')
  return lines.length <= 13 ? lines.join('\n') : [lines[0], '  ...', ...lines.slice(-12)].join('\n')
}

async function start() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: apt-get update && apt-get install -y chromium (or name a Chromium-based browser in TARO_CONFORMANCE_CHROMIUM)`)
  }
  // playwright's launch gives the browser a fresh profile directory of its own. It is ready with
  // its worker pages in about 2 s (6 s with a cold disk cache and both cores compiling), but one
  // start hung beside ten other adapters, and one on a CI machine was not ready in 12 s, twice.
  // A start not ready in 25 s is closed and made once more, inside the manifest's 70 s.
  try {
    await openBrowser(25000)
  } catch (error) {
    console.error(`Chromium did not start; starting it again. What failed:\n${error.message}`)
    await openBrowser(30000)
  }
  return {
    name: 'taro-h5-chromium',
    version: TARO_H5_VERSION,
    platform: 'h5',
    runtime: `chromium ${browser.version()} (playwright-core)`,
    capabilities: [...CAPABILITIES, 'browser-fetch'],
    concurrency: WORKERS,
  }
}

async function runCase(testCase) {
  let worker = await take()
  try {
    return await runOn(worker, testCase)
  } catch (error) {
    // A worker in an unknown state is replaced, not reused.
    await worker.context.close().catch(() => {})
    worker = await newWorker()
    throw error
  } finally {
    give(worker)
  }
}

async function runOn({ context, page, cdp }, testCase) {
  cases++
  await timed('clear', (async () => {
    await context.clearCookies()
    await cdp.send('Network.clearBrowserCache')
  })())
  const cookies = Object.entries((testCase.page && testCase.page.cookies) || {}).flatMap(([url, jar]) =>
    Object.entries(jar).map(([name, value]) => ({ name, value, url })),
  )
  if (cookies.length) await context.addCookies(cookies)
  // Routing is on only while the page loads: playwright turns the HTTP cache off while any route
  // is active, which would change what the cache cases observe.
  const pageUrl = pageOrigin(testCase) + PAGE_PATH
  await timed('route', page.route(pageUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: PAGE })))
  try {
    await timed('goto', page.goto(pageUrl))
  } finally {
    await timed('unroute', page.unroute(pageUrl))
  }
  const outcome = await timed('evaluate', page.evaluate((c) => window.__taroConformance.runCase(c), testCase))
  if (outcome && typeof outcome.elapsedMs === 'number') {
    spent.evaluate -= outcome.elapsedMs
    spent.call += outcome.elapsedMs
  }
  return outcome
}

async function stop() {
  if (TIMINGS) {
    const rounded = Object.fromEntries(Object.entries(spent).map(([step, ms]) => [step, Math.round(ms)]))
    fs.appendFileSync(TIMINGS, JSON.stringify({ workers: WORKERS, cases, ms: rounded }) + '\n')
  }
  if (browser) await browser.close()
}

module.exports = { CHROMIUM, ARGS, PAGE }

if (require.main === module) serve({ start, runCase, stop })
