// taro-h5-chromium: the published @tarojs/taro-h5 Taro.request, run in Debian's headless
// Chromium through playwright-core.
//
// A few workers (a browser context and a page each) run the cases. Before each case a worker
// forgets everything the last one left: cookies, the HTTP cache, the page origin's storage and
// service workers. Its page then navigates to the case's page origin (unless already there:
// below); playwright answers that document itself, so the mock origin never sees it and
// "same-origin" means what it says. (A fresh context per case is cleaner still, but costs
// ~150 ms a case on a 2-core machine.)
//
// The adapter asks the runner for one long-lived page origin per worker (`pageOrigins` in
// `ready`, docs/protocol.md): a case whose page origin is the one a worker's page is already at
// runs there without navigating, when that page was proven clean after its last case (nothing of
// it still running: no timer, no request in flight, no global or element it added). A navigation
// costs ~45-50 ms of browser CPU; the checks and clearing a few.
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
  // page is never restored from the back-forward cache nor needs a new browsing instance (a
  // case navigates at most once), and one-frame pages gain nothing from process isolation. About a
  // fifth less CPU and wall time for the suite, when every case navigated, on a 2-core machine.
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
// What a page records so that the adapter can tell whether a case left anything running in it:
// the timers set and not yet fired or cleared (one id space for timeouts and intervals; a timer
// given a string is never known to have fired, so it counts as left), and, once the bundle has
// loaded, the window's own property names and the document's nodes. `leftovers()` lists what
// differs. It only records: what the page under test calls still gets the browser's own timers.
const TRACKER = `(function () {
  const live = new Set()
  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = window
  window.setTimeout = function setTimeout(handler, ms, ...args) {
    const id = typeof handler === 'function'
      ? st(function () { live.delete(id); return handler.apply(this, arguments) }, ms, ...args)
      : st(handler, ms, ...args)
    live.add(id)
    return id
  }
  window.setInterval = function setInterval(...args) { const id = si(...args); live.add(id); return id }
  window.clearTimeout = function clearTimeout(id) { live.delete(id); return ct(id) }
  window.clearInterval = function clearInterval(id) { live.delete(id); return ci(id) }
  let globals, nodes
  const nodeCount = () => document.getElementsByTagName('*').length
  window.__taroConformancePage = {
    loaded() { globals = new Set(Object.getOwnPropertyNames(window)); nodes = nodeCount() },
    async leftovers() {
      const left = []
      if (live.size) left.push(live.size + ' timer(s)')
      const added = Object.getOwnPropertyNames(window).filter((name) => !globals.has(name))
      if (added.length) left.push('globals ' + added.slice(0, 3).join(', '))
      if (nodeCount() !== nodes) left.push('document nodes')
      if (navigator.serviceWorker && (await navigator.serviceWorker.getRegistrations()).length) left.push('a service worker')
      return left
    },
  }
})()`

// The page: the tracker, storage cleared before the bundle loads (jsonp-retry reads localStorage
// at load), then the request module and the harness. The icon link keeps /favicon.ico off the
// origin.
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>${TRACKER}</script>
<script>try { localStorage.clear(); sessionStorage.clear() } catch (e) {}</script>
<script>${BUNDLE.replace(/<\/script/gi, '<\\/script')}</script>
</head><body><script>__taroConformancePage.loaded()</script></body></html>`

// TARO_CONFORMANCE_CHROMIUM_TIMINGS=FILE: when the adapter stops, FILE gets one JSON line with the
// milliseconds each step of a case took in this process, summed over the cases and the workers
// (the README's performance section quotes them; `evaluate` is the evaluation less the call's own
// elapsed time).
const TIMINGS = process.env.TARO_CONFORMANCE_CHROMIUM_TIMINGS
let cases = 0
const spent = { clear: 0, route: 0, goto: 0, unroute: 0, evaluate: 0, call: 0, check: 0 }
// How many cases ran on a page already at their origin, and why the others navigated.
const pages = { kept: 0, navigated: {}, left: {} }
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

// A worker: its page, the origin that page is at, whether it was left clean, and the page's
// requests still in flight.
async function newWorker(on = browser) {
  const context = await on.newContext()
  const page = await context.newPage()
  page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`))
  const cdp = await context.newCDPSession(page)
  const inFlight = new Set()
  page.on('request', (request) => inFlight.add(request))
  page.on('requestfinished', (request) => inFlight.delete(request))
  page.on('requestfailed', (request) => inFlight.delete(request))
  return { context, page, cdp, inFlight, origin: null, clean: false }
}

// An idle worker, the one whose page is at `origin` if there is one.
async function take(origin) {
  const at = idle.findIndex((worker) => worker.origin === origin)
  if (at >= 0) return idle.splice(at, 1)[0]
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
    pageOrigins: WORKERS,
  }
}

async function runCase(testCase) {
  let worker = await take(pageOrigin(testCase))
  try {
    return await runOn(worker, testCase)
  } catch (error) {
    // A worker in an unknown state is replaced, not reused.
    await worker.context.close().catch(() => {})
    worker = await newWorker()
    throw error
  } finally {
    if (worker.closed) worker = await worker.closed.then(() => newWorker())
    give(worker)
  }
}

// Why a case gets a document of its own even where its worker's page is already at its origin
// and clean, or null. Cookies are cleared for the whole context before every case (they ignore
// ports, so every loopback origin shares one jar); a case that names cookies for its origins
// still navigates, so that its page loads with them as it did before pages kept their origin.
function needsOwnDocument(testCase) {
  if (testCase.page && Object.keys(testCase.page.cookies || {}).length) return 'cookies'
  return null
}

// Forgets what earlier cases left in the worker's browser context: every cookie, the HTTP cache,
// the page origin's storage (local storage, IndexedDB, Cache Storage, service workers…) and the
// page's session storage. Exported with `inspect` for test/isolation.js, which shows a case sees
// nothing of the last.
async function reset({ context, page, cdp }, origin) {
  await context.clearCookies()
  await cdp.send('Network.clearBrowserCache')
  await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' })
  await page.evaluate(() => {
    try {
      localStorage.clear()
      sessionStorage.clear()
    } catch (error) {
      // A blank page has no storage.
    }
  })
}

// After a case, before it is answered: the worker's page may run a later case at its origin
// only if the case left nothing running or added there. A page with requests still in flight,
// timers pending, globals or nodes added, or a service worker, is sent to a blank document at
// once, so that nothing of it can reach the origin after the case ends (the runner then closes
// that origin's server, and may serve the next case on the same port).
async function inspect(worker) {
  let left
  try {
    left = await worker.page.evaluate(() => window.__taroConformancePage.leftovers())
  } catch (error) {
    left = ['no answer from the page']
  }
  if (worker.inFlight.size) left.push(`${worker.inFlight.size} request(s) in flight`)
  worker.clean = left.length === 0
  if (!worker.clean) {
    worker.origin = 'about:blank (left unclean)'
    // A page that cannot leave is closed with its context; its case is still answered.
    await worker.page.goto('about:blank').catch(() => {
      worker.closed = worker.context.close().catch(() => {})
    })
  }
  return left
}

// Readies the worker's page for the case: cleared, then either kept (at the case's page origin
// and clean) or navigated there. Says which: null when kept, otherwise why it navigated.
async function prepare(worker, testCase, clear = reset) {
  const { context, page } = worker
  const origin = pageOrigin(testCase)
  await timed('clear', clear(worker, origin))
  const cookies = Object.entries((testCase.page && testCase.page.cookies) || {}).flatMap(([url, jar]) =>
    Object.entries(jar).map(([name, value]) => ({ name, value, url })),
  )
  if (cookies.length) await context.addCookies(cookies)
  const why = worker.origin !== origin ? (worker.clean ? 'another origin' : 'left unclean') : needsOwnDocument(testCase)
  if (!why) return null
  // Routing is on only while the page loads: playwright turns the HTTP cache off while any route
  // is active, which would change what the cache cases observe.
  const pageUrl = origin + PAGE_PATH
  worker.origin = null
  await timed('route', page.route(pageUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: PAGE })))
  try {
    await timed('goto', page.goto(pageUrl))
  } finally {
    await timed('unroute', page.unroute(pageUrl))
  }
  worker.origin = origin
  return why
}

async function runOn(worker, testCase) {
  cases++
  const navigated = await prepare(worker, testCase)
  if (navigated) pages.navigated[navigated] = (pages.navigated[navigated] || 0) + 1
  else pages.kept++
  worker.clean = false
  const outcome = await timed('evaluate', worker.page.evaluate((c) => window.__taroConformance.runCase(c), testCase))
  if (outcome && typeof outcome.elapsedMs === 'number') {
    spent.evaluate -= outcome.elapsedMs
    spent.call += outcome.elapsedMs
  }
  for (const what of await timed('check', inspect(worker))) {
    const kind = what.replace(/^\d+ /, '').replace(/^globals .*/, 'globals')
    pages.left[kind] = (pages.left[kind] || 0) + 1
  }
  return outcome
}

async function stop() {
  if (TIMINGS) {
    const rounded = Object.fromEntries(Object.entries(spent).map(([step, ms]) => [step, Math.round(ms)]))
    fs.appendFileSync(TIMINGS, JSON.stringify({ workers: WORKERS, cases, pages, ms: rounded }) + '\n')
  }
  if (browser) await browser.close()
}

module.exports = { CHROMIUM, ARGS, PAGE, newWorker, prepare, inspect, reset }

if (require.main === module) serve({ start, runCase, stop })
