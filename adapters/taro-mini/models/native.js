// A native `request(options) -> RequestTask` built from a platform profile (./wx.js, ./my.js, …).
// The engine does what every vendor documents alike — validate, encode, send, decode, call
// success or fail and then complete, asynchronously, once — and asks the profile for everything
// in which the platforms differ: option names, defaults, result and error shapes, task methods.
'use strict'
const { send, headerValue, Failure } = require('./transport')
const { encodeRequest, requestHeaders, responseHeaders, setCookies, bodyText, toArrayBuffer } = require('./encode')

// A failure the profile turns into its own fail object: `kind` is one of Failure, or one of these.
const Problem = Object.freeze({
  badUrl: 'url missing or not a string',
  badMethod: 'method not supported',
  badData: 'data of a type the platform does not take',
  badJson: 'body is not JSON',
  httpStatus: 'HTTP error status',
})

// The parts of a response a profile's `decode`/`success` may use.
function responseView(response) {
  const contentType = headerValue(response.rawHeaders, 'content-type') || ''
  return {
    status: response.status,
    header: responseHeaders(response.rawHeaders),
    cookies: setCookies(response.rawHeaders),
    contentType: contentType.toLowerCase(),
    text: () => bodyText(response.body, contentType),
    bytes: () => toArrayBuffer(response.body),
    base64: () => response.body.toString('base64'),
  }
}

// Shared decoders the profiles pick from.
const decode = {
  // dataType json: JSON.parse once; a body that does not parse stays text.
  jsonOrText(view) {
    const text = view.text()
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  },
  // dataType json where a body that does not parse is an error.
  jsonStrict(view) {
    try {
      return JSON.parse(view.text())
    } catch {
      throw Object.assign(new Error(Problem.badJson), { kind: Problem.badJson })
    }
  },
  text: (view) => view.text(),
  bytes: (view) => view.bytes(),
}

// `request.retire()` detaches the calls made so far from their caller: their exchanges go on,
// but no callback or header listener of theirs is called again (an app whose sandbox is reused
// for the next case must not hear the previous case's calls).
function createRequest(profile) {
  let era = 0
  function request(options) {
    options = options || {}
    const controller = new AbortController()
    const headListeners = new Set()
    const born = era
    const retired = () => born !== era
    let done = false
    // Callbacks are called on a later turn, as a native bridge answers, never inside request().
    const settle = (name, result) => {
      if (done) return
      done = true
      setTimeout(() => {
        if (retired()) return
        if (typeof options[name] === 'function') options[name](result)
        if (typeof options.complete === 'function') options.complete(result)
      }, 0)
    }
    const fail = (kind, detail, response) => settle('fail', profile.fail(kind, detail, response && responseView(response)))

    const task = profile.task({
      abort() {
        controller.abort()
      },
      onHeadersReceived(listener) {
        if (typeof listener === 'function') headListeners.add(listener)
      },
      offHeadersReceived(listener) {
        if (listener === undefined) headListeners.clear()
        else headListeners.delete(listener)
      },
    })

    const call = profile.read(options)
    if (typeof call.url !== 'string' || call.url === '') {
      fail(Problem.badUrl, typeof call.url === 'string' ? 'empty' : typeof call.url)
      return task
    }
    const method = call.method === undefined ? 'GET' : String(call.method)
    if (!profile.methods.includes(method)) {
      fail(Problem.badMethod, method)
      return task
    }
    if (profile.acceptsData && !profile.acceptsData(call.data)) {
      fail(Problem.badData, Object.prototype.toString.call(call.data))
      return task
    }
    const headers = requestHeaders(call.header, { forbidden: profile.forbiddenHeaders })
    headers.push(...profile.fixedHeaders)
    const { url, body } = encodeRequest({ method, url: call.url, data: call.data, headers, getValue: profile.getQueryValue })
    const timeoutMs = profile.timeoutMs(call)

    send({
      method,
      url,
      headers,
      body,
      timeoutMs,
      signal: controller.signal,
      onHead: (status, rawHeaders) => {
        if (retired()) return
        for (const listener of headListeners) listener(profile.headersEvent({ status, header: responseHeaders(rawHeaders), cookies: setCookies(rawHeaders) }))
      },
    }).then(
      (response) => {
        const view = responseView(response)
        if (profile.isHttpError && profile.isHttpError(view.status)) return fail(Problem.httpStatus, String(view.status), response)
        let data
        try {
          data = profile.decode(view, call)
        } catch (error) {
          return fail(error.kind || Failure.other, error.message, response)
        }
        settle('success', profile.success(view, data))
      },
      (error) => fail(error.kind || Failure.other, error.message),
    )
    return task
  }
  request.retire = () => {
    era += 1
  }
  return request
}

module.exports = { createRequest, decode, Problem, Failure }
