// The adapter side of protocol v1 (docs/protocol.md), shared by the adapters that run published
// Taro packages: read one JSON message per line on stdin, answer on stdout, log to stderr.
// No dependencies: adapters that need jsdom or playwright bring their own.
'use strict'
const readline = require('node:readline')

function serve({ start, runCase, stop }) {
  const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')
  readline.createInterface({ input: process.stdin }).on('line', async (line) => {
    let message
    try {
      message = JSON.parse(line)
    } catch {
      console.error(`ignored a line that is not JSON: ${line}`)
      return
    }
    if (message.type === 'start') {
      try {
        send({ type: 'ready', protocol: 1, ...(await start()) })
      } catch (error) {
        console.error(String((error && error.message) || error))
        process.exit(1)
      }
    } else if (message.type === 'run') {
      runCase(message.case).then(
        (result) => send({ seq: message.seq, result }),
        (error) => send({ seq: message.seq, errored: { message: String((error && error.stack) || error) } }),
      )
    } else if (message.type === 'stop') {
      await stop()
      process.exit(0)
    }
  })
}

// The origin the page of a case lives at: the one the case names, otherwise the origin of the
// call's url (the app's own server), otherwise a placeholder nothing listens on.
function pageOrigin(testCase) {
  if (testCase.page) return testCase.page.origin
  const url = typeof testCase.call === 'string' ? testCase.call : testCase.call.url
  try {
    return new URL(url).origin
  } catch {
    return 'http://127.0.0.1:9'
  }
}

// A blank page; the icon link keeps the browser from asking the origin for /favicon.ico.
const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body></body></html>'

// The page's own path: no stub uses it, so the page never shadows a stubbed url.
const PAGE_PATH = '/__taro-conformance/page.html'

// Gives the harness in a page or sandbox that Node hosts Node's own base64 encoder, which is
// native: the harness's by hand costs about 0.3 s of CPU for a 5 MiB body.
function lendEncoder(harness) {
  harness.toBase64 = (buffer) => Buffer.from(buffer).toString('base64')
}

module.exports = { serve, pageOrigin, lendEncoder, PAGE_HTML, PAGE_PATH }
