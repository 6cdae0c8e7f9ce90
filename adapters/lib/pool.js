// Sandboxes made ahead of the cases that need them, for the adapters that run cases in a Node vm
// context with a bundle loaded: a fresh one per case (sandboxPool: taro-rn), or one per worker,
// reset between its cases (workerPool: taro-mini).
//
// Making one is synchronous work of several milliseconds. Made when a case arrives, a burst of
// cases would hold the event loop for tens of milliseconds while other cases' requests wait to be
// written: long enough for a case's `abort` at 100 ms to fire before its request had left. So
// they are made ahead, one per turn of the event loop, between other work.
'use strict'

// A pool of up to `size` sandboxes made by `make()`.
function sandboxPool(make, size) {
  const ready = []
  let refilling = false
  function refill() {
    if (ready.length >= size) {
      refilling = false
      return
    }
    ready.push(make())
    setImmediate(refill)
  }
  return {
    // Fills the pool at once: at start, before any case runs.
    fill() {
      while (ready.length < size) ready.push(make())
    },
    // A sandbox for one case (made now if none is ready); the pool refills in later turns.
    take() {
      const sandbox = ready.pop() || make()
      if (!refilling) {
        refilling = true
        setImmediate(refill)
      }
      return sandbox
    },
  }
}

// Up to `size` workers made by `make()`, all made at start (fill) and each reused case after case:
// `use(run)` lends an idle worker to `run(worker)` and, once its promise settles, has
// `reset(worker)` undo what the case left before the next case may have it. A worker whose reset
// throws is dropped (its error logged) and a fresh one made in a later turn. With `size` the
// adapter's concurrency, a worker is idle for every case the runner sends.
function workerPool(make, reset, size) {
  const idle = []
  let made = 0
  let refilling = false
  function refill() {
    refilling = false
    if (made >= size) return
    idle.push(make())
    made += 1
    if (made < size) {
      refilling = true
      setImmediate(refill)
    }
  }
  function release(worker) {
    try {
      reset(worker)
      idle.push(worker)
    } catch (error) {
      console.error(`dropped a sandbox its reset could not clean: ${(error && error.message) || error}`)
      made -= 1
      if (!refilling) {
        refilling = true
        setImmediate(refill)
      }
    }
  }
  return {
    fill() {
      while (made < size) {
        idle.push(make())
        made += 1
      }
    },
    async use(run) {
      // More cases than workers: one more is made now.
      let worker = idle.pop()
      if (!worker) {
        worker = make()
        made += 1
      }
      try {
        return await run(worker)
      } finally {
        release(worker)
      }
    },
  }
}

module.exports = { sandboxPool, workerPool }
