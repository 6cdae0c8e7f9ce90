// A case on a page that keeps its origin sees nothing of the case before it. The first case
// leaves behind, on purpose, everything a page can: a cookie, localStorage and sessionStorage, an
// entry in the HTTP cache, a service worker that answers a path itself, a timer that will send a
// request late, requests held by the origin (six on the wire, two queued in the browser), a
// global and a document node, and the connections it used. The next case, on the same worker at
// the same origin, looks for each.
//
// It runs twice: with the adapter's own steps between the cases (`reset`, then `inspect`, which
// sends a page with anything left running to a blank document at once), where the second case must see
// none of them; and with those steps removed, where it must see every one of them (so each look
// can fail). As the runner does between two cases on one page port, the origin's server closes
// its connections when a case ends (tests/integration/page_ports.rs shows the runner's side).
//
//   node adapters/taro-h5/test/isolation.js      (prints one line per look; exit 1 on a failure)
'use strict'
const http = require('node:http')
const { chromium } = require('playwright-core')
const { CHROMIUM, ARGS, newWorker, prepare, inspect, reset } = require('../chromium')

const SERVICE_WORKER = `self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname === '/sw-probe') event.respondWith(new Response('from-sw'))
})`

// The origin: records each request with the case that was current when it arrived, and the
// connection it came on.
function origin() {
  const seen = []
  const held = []
  let current = 'first'
  let cachedHits = 0
  let sockets = 0
  const server = http.createServer((req, res) => {
    if (!req.socket.label) req.socket.label = `${current}#${++sockets}`
    seen.push({ path: req.url, during: current, socket: req.socket.label })
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/held') return held.push(res)
    if (path === '/cached') {
      res.writeHead(200, { 'cache-control': 'max-age=600', 'content-type': 'text/plain' })
      return res.end(String(++cachedHits))
    }
    if (path === '/sw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' })
      return res.end(SERVICE_WORKER)
    }
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('from-origin')
  })
  return {
    seen,
    listen: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))),
    next(name, closeConnections) {
      if (closeConnections) server.closeAllConnections()
      current = name
    },
    release: () => held.splice(0).forEach((res) => res.end('held')),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve) }),
  }
}

const aCase = (url, id) => ({ id, call: { url }, before: [], actions: [], page: null, interceptors: [], cleanInterceptors: false, deadlineMs: 2000 })

// What the first case leaves behind.
async function leaveBehind() {
  document.cookie = 'left=1; max-age=600'
  localStorage.setItem('left', '1')
  sessionStorage.setItem('left', '1')
  await (await fetch('/cached')).text()
  await navigator.serviceWorker.register('/sw.js')
  await navigator.serviceWorker.ready
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))
  }
  setTimeout(() => fetch('/late'), 500)
  for (let i = 0; i < 8; i++) fetch(`/held?${i}`).catch(() => {})
  window.leftGlobal = 1
  document.body.appendChild(document.createElement('div')).id = 'left'
  await new Promise((resolve) => setTimeout(resolve, 100))
}

// What a first case leaves that lives on in the browser rather than in the page: the page stays
// clean, so the second case keeps it.
async function leaveState() {
  document.cookie = 'left=1; max-age=600'
  localStorage.setItem('left', '1')
  sessionStorage.setItem('left', '1')
  await (await fetch('/cached')).text()
}

// What the second case finds.
async function look() {
  const text = async (path) => (await fetch(path)).text()
  return {
    cookie: document.cookie.includes('left=1'),
    localStorage: localStorage.getItem('left') !== null,
    sessionStorage: sessionStorage.getItem('left') !== null,
    'HTTP cache': (await text('/cached')) === '1',
    'service worker': (await navigator.serviceWorker.getRegistrations()).length > 0 || (await text('/sw-probe')) === 'from-sw',
    global: typeof window.leftGlobal !== 'undefined',
    'document node': document.getElementById('left') !== null,
  }
}

async function trial(browser, isolated, leave) {
  const server = origin()
  const url = await server.listen()
  const worker = await newWorker(browser)
  try {
    await prepare(worker, aCase(`${url}/a`, 'first'), isolated ? reset : async () => {})
    await worker.page.evaluate(leave)
    if (isolated) await inspect(worker)
    else worker.clean = true
    server.next('second', isolated)
    const navigated = await prepare(worker, aCase(`${url}/b`, 'second'), isolated ? reset : async () => {})
    server.release()
    await new Promise((resolve) => setTimeout(resolve, 900))
    const found = await worker.page.evaluate(look)
    const during = server.seen.filter((r) => r.during === 'second')
    if (leave === leaveBehind) {
      found['late request'] = during.some((r) => r.path === '/late')
      found['held request'] = during.some((r) => r.path.startsWith('/held'))
      found.connection = during.some((r) => r.socket.startsWith('first'))
    } else {
      for (const what of ['service worker', 'global', 'document node']) delete found[what]
    }
    return { navigated, found }
  } finally {
    await worker.context.close()
    await server.close()
  }
}

;(async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  let failed = false
  try {
    // Left in the browser only: the page is kept, and must have been cleared.
    for (const [isolated, leave, kept] of [[true, leaveState, true], [true, leaveBehind, false], [false, leaveBehind, true]]) {
      const { navigated, found } = await trial(browser, isolated, leave)
      const what = leave === leaveState ? 'state in the browser' : 'everything'
      console.log(`${what} left, ${isolated ? "with the adapter's steps between cases" : 'with those steps removed'} (the second case ${navigated ? `navigated: ${navigated}` : 'kept the page'}):`)
      if (!navigated !== kept) {
        failed = true
        console.log(`  FAIL the second case was expected to ${kept ? 'keep the page' : 'navigate'}`)
      }
      for (const [what, seen] of Object.entries(found)) {
        const ok = seen !== isolated
        failed ||= !ok
        console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}: ${seen ? 'seen' : 'not seen'} by the second case`)
      }
    }
  } finally {
    await browser.close()
  }
  process.exit(failed ? 1 : 0)
})().catch((error) => {
  console.error(error)
  process.exit(1)
})
