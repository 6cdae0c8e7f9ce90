// A platform that calls `fail` and `complete` again after its call has settled (ArkTS on a method
// it refuses: Taro's own parameter error first, then the model's, delivered with setImmediate) is
// seen calling twice however loaded the machine is. The case below runs in the check phase of
// Node's event loop, where a setImmediate waits for the next loop while a 0 ms timer fires first
// once a millisecond has passed: the harness must still see the second pair.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')

const harnessPath = path.join(__dirname, '..', 'harness.js')
vm.runInThisContext(fs.readFileSync(harnessPath, 'utf8'), { filename: harnessPath })
const harness = globalThis.__taroConformance

const CASE = { interceptors: [], before: [], actions: [], deadlineMs: 2000, call: { url: 'http://127.0.0.1:9/', method: 'get' } }

// Settles at once with the layer's own error, and has its "native" error delivered later.
globalThis.TaroUnderTest = {
  request(options) {
    const own = { errMsg: 'request fail parameter error' }
    options.fail(own)
    options.complete(own)
    setImmediate(() => {
      const native = { errMsg: 'native: Parameter error' }
      options.fail(native)
      options.complete(native)
    })
    return Promise.reject(own)
  },
}

function busy(ms) {
  const until = performance.now() + ms
  while (performance.now() < until);
}

test('a callback delivered with setImmediate after the call settled is observed', async () => {
  for (let round = 0; round < 20; round++) {
    // The case runs in the check phase, and the machine is busy for 2 ms before the loop reaches
    // its timers: the harness's first timer is then due before the model's setImmediate runs.
    const result = await new Promise((resolve, reject) => {
      setImmediate(() => harness.runCase(CASE).then(resolve, reject))
      setImmediate(() => busy(2))
    })
    assert.equal(result.settled, 'rejected')
    assert.deepEqual(
      result.callbacks.map((c) => `${c.name}: ${c.arg.errMsg}`),
      [
        'fail: request fail parameter error',
        'complete: request fail parameter error',
        'fail: native: Parameter error',
        'complete: native: Parameter error',
      ],
      `round ${round}`,
    )
  }
})
