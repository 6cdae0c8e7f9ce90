// Sandboxes made ahead of the cases that need them, for the adapters that run each case in a
// fresh Node vm context with a bundle loaded (taro-mini, taro-rn).
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

module.exports = { sandboxPool }
