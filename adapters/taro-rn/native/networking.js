// React Native's Android NetworkingModule (react-native 0.73.11,
// ReactAndroid/src/main/java/com/facebook/react/modules/network/NetworkingModule.java, with
// HeaderUtil.java, RequestBodyUtil.java and ResponseUtil.java beside it), as the JavaScript side
// calls it (Libraries/Network/NativeNetworkingAndroid.js):
//   sendRequest(method, url, requestId, headers: [[name, value]], data, responseType,
//               useIncrementalUpdates, timeout, withCredentials)
//   abortRequest(requestId), clearCookies(callback), addListener(name), removeListeners(count)
// answering with the device events RCTNetworking.android.js listens to. The HTTP call itself is
// okhttp.js. Line numbers below are NetworkingModule.java's unless named.
'use strict'
const zlib = require('node:zlib')
const { call, parseUrl, CallError } = require('./okhttp')

// MediaType.parse(): "type/subtype" and parameters, or null (okhttp3/MediaType.kt).
function mediaType(text) {
  if (text == null) return null
  const match = /^\s*([a-zA-Z0-9-!#$%&'*+.^_`{|}~]+)\/([a-zA-Z0-9-!#$%&'*+.^_`{|}~]+)\s*(;.*)?$/s.exec(text)
  if (!match) return null
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(match[3] || '')
  return { text, charset: charset ? charset[1] : null }
}

// String.getBytes(charset) for the charsets a body names.
function encode(text, charset) {
  if (charset && /^(iso-8859-1|latin1|us-ascii)$/i.test(charset)) return Buffer.from(text, 'latin1')
  if (charset && /^utf-16le$/i.test(charset)) return Buffer.from(text, 'utf16le')
  return Buffer.from(text, 'utf8')
}

// ResponseBody.string(): a byte-order mark picks the charset and is dropped; otherwise the
// content-type's charset, else UTF-8.
function decodeText(bytes, contentType) {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8')
  const charset = (mediaType(contentType) || {}).charset || 'utf-8'
  try {
    return new TextDecoder(charset, { ignoreBOM: true }).decode(bytes)
  } catch {
    return bytes.toString('utf8')
  }
}

// HeaderUtil.stripHeaderName / stripHeaderValue: characters outside the printable ASCII range
// are dropped, silently.
const stripName = (name) => Array.from(String(name)).filter((c) => c > '\u0020' && c < '\u007f').join('')
const stripValue = (value) => Array.from(String(value)).filter((c) => (c > '\u001f' && c < '\u007f') || c === '\t').join('')

function networkingModule({ emit, blob }) {
  const calls = new Map() // requestId -> AbortController of its OkHttp call
  let multiparts = 0

  const onRequestError = (requestId, error, timeout) =>
    // ResponseUtil.onRequestError: the flag is there only for a SocketTimeoutException.
    emit('didCompleteNetworkResponse', timeout ? [requestId, error, true] : [requestId, error])

  // extractHeaders (752-780): pairs stripped, OkHttp's Headers.Builder.add checks what is left;
  // without a string body a content-encoding header is removed.
  function extractHeaders(headers, data) {
    if (!Array.isArray(headers)) return null
    const out = []
    for (const header of headers) {
      if (!Array.isArray(header) || header.length !== 2) return null
      const name = stripName(header[0])
      const value = stripValue(header[1])
      if (!name) throw new CallError('name is empty')
      out.push([name, value.trim()])
    }
    if (!(data && typeof data.string === 'string')) return out.filter(([name]) => name.toLowerCase() !== 'content-encoding')
    return out
  }

  // constructMultipartBody (686-747), for string parts; a uri part needs a file system.
  function multipart(parts, contentType, requestId) {
    // MultipartBody.Builder's boundary is UUID.randomUUID(); a count here, for repeatable runs.
    const boundary = `00000000-0000-4000-8000-${(++multiparts).toString(16).padStart(12, '0')}`
    const chunks = []
    for (const part of parts) {
      const headers = extractHeaders(part.headers, null)
      if (headers === null) return onRequestError(requestId, 'Missing or invalid header format for FormData part.')
      const partType = headers.find(([name]) => name.toLowerCase() === 'content-type')
      const rest = headers.filter(([name]) => name.toLowerCase() !== 'content-type')
      if (typeof part.string !== 'string') return onRequestError(requestId, part.uri ? `Could not retrieve file for uri ${part.uri}` : 'Unrecognized FormData part.')
      const lines = rest.map(([name, value]) => `${name}: ${value}\r\n`)
      if (partType && mediaType(partType[1])) lines.push(`Content-Type: ${partType[1]}\r\n`)
      const bytes = Buffer.from(part.string, 'utf8')
      lines.push(`Content-Length: ${bytes.length}\r\n`)
      chunks.push(Buffer.from(`--${boundary}\r\n${lines.join('')}\r\n`), bytes, Buffer.from('\r\n'))
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`))
    return { contentType: `${contentType}; boundary=${boundary}`, bytes: Buffer.concat(chunks) }
  }

  function sendRequestInternal(method, url, requestId, headers, data, responseType, useIncrementalUpdates, timeout) {
    // Request.Builder().url(url) (289-295).
    let target
    try {
      target = parseUrl(url)
    } catch (error) {
      return onRequestError(requestId, error.message)
    }
    const requestHeaders = extractHeaders(headers, data)
    if (requestHeaders === null) return onRequestError(requestId, 'Unrecognized headers format')
    const find = (name) => {
      const entry = requestHeaders.find(([key]) => key.toLowerCase() === name)
      return entry ? entry[1] : null
    }
    let contentType = find('content-type')
    const contentEncoding = find('content-encoding')
    // The body (372-451).
    let body
    const lowerMethod = method.toLowerCase()
    const blobBody = blob.handlers.installed && data ? blob.handlers.requestBody(data, contentType) : null
    if (data == null || lowerMethod === 'get' || lowerMethod === 'head') {
      body = emptyBody(method)
    } else if (blobBody) {
      body = { contentType: mediaType(blobBody.contentType) ? blobBody.contentType : null, bytes: blobBody.bytes }
    } else if (typeof data.string === 'string') {
      if (contentType == null) return onRequestError(requestId, 'Payload is set but no content-type header specified')
      const type = mediaType(contentType)
      const bytes = encode(data.string, type && type.charset)
      if (contentEncoding && contentEncoding.toLowerCase() === 'gzip') {
        body = { contentType: type ? contentType : null, bytes: zlib.gzipSync(bytes) }
      } else {
        body = { contentType: type ? contentType : null, bytes }
      }
    } else if (typeof data.base64 === 'string') {
      if (contentType == null) return onRequestError(requestId, 'Payload is set but no content-type header specified')
      body = { contentType: mediaType(contentType) ? contentType : null, bytes: Buffer.from(data.base64, 'base64') }
    } else if (typeof data.uri === 'string') {
      if (contentType == null) return onRequestError(requestId, 'Payload is set but no content-type header specified')
      // RequestBodyUtil.getFileInputStream: no file or content provider behind a uri here.
      return onRequestError(requestId, `Could not retrieve file for uri ${data.uri}`)
    } else if (Array.isArray(data.formData)) {
      if (contentType == null) contentType = 'multipart/form-data'
      body = multipart(data.formData, contentType, requestId)
      if (!body) return
    } else {
      body = emptyBody(method)
    }
    // Request.Builder.method (453): OkHttp refuses a body on GET/HEAD and its absence on the
    // methods that require one.
    if (!method) throw new CallError('method.isEmpty() == true')
    if (body === null && ['POST', 'PUT', 'PATCH', 'PROPPATCH', 'REPORT'].includes(method)) throw new CallError(`method ${method} must have a request body.`)
    if (body !== null && (method === 'GET' || method === 'HEAD')) throw new CallError(`method ${method} must not have a request body.`)

    const controller = new AbortController()
    calls.set(requestId, controller)
    call({
      method,
      url: target,
      headers: requestHeaders,
      body,
      // callTimeout (346-348): the XMLHttpRequest's timeout, 0 for none.
      callTimeoutMs: timeout,
      signal: controller.signal,
      onBodySent: (length) => emit('didSendNetworkData', [requestId, length, length]),
    }).then(
      (response) => {
        calls.delete(requestId)
        emit('didReceiveNetworkResponse', [requestId, response.status, translateHeaders(response.headers), response.url])
        let bytes = response.body
        const find = (name) => {
          const entry = response.headers.find(([key]) => key.toLowerCase() === name)
          return entry ? entry[1] : undefined
        }
        // A gzip body OkHttp left encoded (the caller chose accept-encoding) is decoded here (502-512).
        if (String(find('content-encoding')).toLowerCase() === 'gzip' && bytes.length) {
          try {
            bytes = zlib.gunzipSync(bytes)
          } catch (error) {
            return onRequestError(requestId, 'gzip finished without exhausting source')
          }
        }
        // The blob module's response handler (515-522).
        const blobData = blob.handlers.installed ? blob.handlers.responseData(responseType, bytes) : null
        if (blobData) {
          emit('didReceiveNetworkData', [requestId, blobData])
          return emit('didCompleteNetworkResponse', [requestId, null])
        }
        if (useIncrementalUpdates && responseType === 'text') {
          // readWithProgress (587-621), in one chunk.
          const text = decodeText(bytes, find('content-type'))
          emit('didReceiveNetworkIncrementalData', [requestId, text, bytes.length, Number(find('content-length') || -1)])
          return emit('didCompleteNetworkResponse', [requestId, null])
        }
        let responseString = ''
        if (responseType === 'text') responseString = decodeText(bytes, find('content-type'))
        else if (responseType === 'base64') responseString = bytes.toString('base64')
        emit('didReceiveNetworkData', [requestId, responseString])
        emit('didCompleteNetworkResponse', [requestId, null])
      },
      (error) => {
        calls.delete(requestId)
        // onFailure (461-471); a cancelled call reports "Canceled", which the JavaScript side,
        // having forgotten the request, ignores.
        onRequestError(requestId, error.message, false)
      },
    )
  }

  return {
    getConstants: () => ({}),
    sendRequest(method, url, requestId, headers, data, responseType, useIncrementalUpdates, timeout, withCredentials) {
      // The native side works on its own thread: nothing happens inside the JavaScript call.
      setImmediate(() => {
        try {
          sendRequestInternal(method, url, requestId, headers, data, responseType, useIncrementalUpdates, timeout, withCredentials)
        } catch (error) {
          // sendRequest (240-256): whatever escapes is reported as the request's error.
          onRequestError(requestId, error.message)
        }
      })
    },
    abortRequest(requestId) {
      const controller = calls.get(requestId)
      calls.delete(requestId)
      if (controller) controller.abort()
    },
    clearCookies(callback) {
      setImmediate(() => callback(true))
    },
    addListener() {},
    removeListeners() {},
  }
}

// RequestBodyUtil.getEmptyBody: POST, PUT and PATCH get an empty body; the rest none.
function emptyBody(method) {
  return ['POST', 'PUT', 'PATCH'].includes(method) ? { contentType: null, bytes: Buffer.alloc(0) } : null
}

// translateHeaders (642-655): a map by the name as received, repeated names (same case) joined
// with ", ".
function translateHeaders(pairs) {
  const out = {}
  for (const [name, value] of pairs) {
    out[name] = Object.prototype.hasOwnProperty.call(out, name) ? `${out[name]}, ${value}` : value
  }
  return out
}

module.exports = { networkingModule }
