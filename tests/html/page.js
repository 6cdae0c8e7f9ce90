// What the page checks (check.js for matrix.html, history.js for history.html) share: the
// expectations file named on the command line, one line per check, and a fresh headless
// Chromium page (playwright-core, as installed for taro-h5-chromium) that records every console
// error or warning, page error, dialog and request beyond the file itself.
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const expect = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const { chromium } = require(expect.playwright)
const CHROMIUM = process.env.TARO_CONFORMANCE_CHROMIUM || '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']

let failed = 0
function check (name, ok, detail) {
  console.log(`${ok ? 'ok' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}`)
  if (!ok) failed += 1
}

// The open cell's details, as a reader sees them: whether shown, and their visible text.
async function details (page) {
  return { shown: await page.isVisible('#details'), text: await page.innerText('#details') }
}

// Runs `checks({ page, url, problems })` on expect.page, then checks that nothing reached the
// console and nothing was fetched (the page must be self-contained), and exits 1 when any check
// failed or the checks could not run.
function run (checks) {
  (async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    const problems = []
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`) })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss() })
    const requests = []
    page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()) })
    await checks({ page, url: pathToFileURL(path.resolve(expect.page)).href, problems })
    check('the console has no errors or warnings', problems.length === 0, problems.join('; '))
    check('the page fetched nothing from the network', requests.length === 0, requests.join(', '))
    await browser.close()
  })().then(() => process.exit(failed ? 1 : 0), (error) => {
    console.log(`FAIL the checks could not run: ${error.stack || error}`)
    process.exit(1)
  })
}

module.exports = { expect, check, details, run }
