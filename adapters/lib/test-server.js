// A local server for the adapters' model tests (node:test): on 127.0.0.1 at a free port for the
// whole file, it records every request it receives ({ method, url, headers, body }) in `seen`
// and lets `answer(path, res)` reply (the path without its query). Returns { seen, origin }.
'use strict'
const test = require('node:test')
const http = require('node:http')

function localServer(answer) {
  const local = { seen: [], origin: undefined }
  let server
  test.before(async () => {
    server = http.createServer((req, res) => {
      const chunks = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        local.seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() })
        answer(req.url.split('?')[0], res)
      })
    })
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    local.origin = `http://127.0.0.1:${server.address().port}`
  })
  test.after(() => server.close())
  return local
}

module.exports = { localServer }
