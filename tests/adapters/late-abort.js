#!/usr/bin/env node
// An adapter over the shared harness (adapters/lib/harness.js, which every adapter of a Taro
// package runs) whose Taro.request answers at once and whose abort() still calls fail and
// complete after that: a platform bug that `abort.after-completion` (ABORT-2) must catch, which
// it can only when the harness waits for the case's actions before reporting.
// `node late-abort.js correct` leaves abort() after completion doing nothing; `node late-abort.js
// throwing` makes it throw a TypeError at the app instead (as a task whose controller is gone
// would), which ABORT-2 must catch too.
'use strict'
const path = require('node:path')

const mode = process.argv[2]
const broken = mode !== 'correct'
globalThis.TaroUnderTest = {
  request(options) {
    let done = false
    const task = Promise.resolve({ statusCode: 200, data: { done: true }, header: {}, errMsg: 'request:ok' }).then((res) => {
      done = true
      options.success && options.success(res)
      options.complete && options.complete(res)
      return res
    })
    task.abort = () => {
      if (done && mode === 'throwing') throw new TypeError("Cannot read properties of null (reading 'abort')")
      if (done && !broken) return
      const err = { errMsg: 'request:fail abort' }
      options.fail && options.fail(err)
      options.complete && options.complete(err)
    }
    return task
  },
}
require(path.join(__dirname, '..', '..', 'adapters', 'lib', 'harness.js'))
const { serve } = require(path.join(__dirname, '..', '..', 'adapters', 'lib', 'protocol.js'))

serve({
  start: async () => ({
    name: 'late-abort',
    version: mode || 'broken',
    platform: 'test',
    runtime: `node ${process.versions.node}`,
    capabilities: ['core', 'abort'],
    concurrency: 4,
  }),
  runCase: (testCase) => globalThis.__taroConformance.runCase(testCase),
  stop: async () => {},
})
