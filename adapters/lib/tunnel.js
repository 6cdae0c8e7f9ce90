// A CONNECT answered with 2xx: Node hands the answer over as a tunnel (its socket) and ends its
// own response object, but an HTTP client reads it as any response: its body is what follows the
// head, up to Content-Length (or the connection's end). Part of it may come with the head and the
// rest later, on the socket. The body is read here through a stand-in response.
'use strict'
const { EventEmitter } = require('node:events')

// Calls `collect(tunnel, head)` with a stand-in response (statusCode, rawHeaders, 'data', 'end')
// and feeds it the rest of the body from `socket`, up to `length` bytes (NaN: to the end).
function readTunnel({ response, socket, head, length, collect, fail }) {
  const tunnel = new EventEmitter()
  tunnel.statusCode = response.statusCode
  tunnel.rawHeaders = response.rawHeaders
  collect(tunnel, head)
  let received = head ? head.length : 0
  let ended = false
  const done = () => {
    if (ended) return
    ended = true
    tunnel.emit('end')
    socket.destroy()
  }
  if (Number.isFinite(length) && received >= length) return done()
  socket.on('data', (chunk) => {
    tunnel.emit('data', chunk)
    received += chunk.length
    if (Number.isFinite(length) && received >= length) done()
  })
  socket.on('end', done)
  socket.on('error', fail)
}

module.exports = { readTunnel }
