// What a case can leave behind in a Node vm sandbox, and its undoing, for the adapters that reuse
// one sandbox for many cases (taro-mini): loading a Taro bundle costs several milliseconds of
// CPU, resetting what a case changed costs microseconds.
'use strict'

// The timer functions a sandbox is given, each one Node's own, keeping count of the timers not
// yet run or cleared so that clearAll() can cancel what a case left scheduled.
function trackedTimers() {
  const live = new Map() // handle -> Node's clear function for it
  const forget = (handle) => {
    if (live.delete(handle)) return
    // clearTimeout also takes a timer's number (a Timeout's primitive value).
    if (typeof handle === 'number' || typeof handle === 'string') {
      for (const known of live.keys()) if (String(Number(known)) === String(handle)) live.delete(known)
    }
  }
  const schedule = (set, clear, repeats) =>
    function (callback, ...rest) {
      // Not a function: Node's own error, as without the tracking.
      if (typeof callback !== 'function') return set(callback, ...rest)
      const handle = set(function (...args) {
        if (!repeats) live.delete(handle)
        return callback.apply(this, args)
      }, ...rest)
      live.set(handle, clear)
      return handle
    }
  const cancel = (clear) => (handle) => {
    forget(handle)
    return clear(handle)
  }
  return {
    setTimeout: schedule(setTimeout, clearTimeout, false),
    clearTimeout: cancel(clearTimeout),
    setInterval: schedule(setInterval, clearInterval, true),
    clearInterval: cancel(clearInterval),
    setImmediate: schedule(setImmediate, clearImmediate, false),
    clearImmediate: cancel(clearImmediate),
    // How many are scheduled.
    get pending() {
      return live.size
    },
    // Cancels every one still scheduled; says how many there were.
    clearAll() {
      const count = live.size
      for (const [handle, clear] of live) clear(handle)
      live.clear()
      return count
    },
  }
}

// The own properties of `object` as they are now; restore() puts them back (adds what was
// removed, removes what was added, redefines what was changed) and returns the keys it had to
// touch. It throws when one cannot be put back (a property made non-configurable): the sandbox
// is then not fit for another case.
function ownState(object) {
  const saved = new Map(Reflect.ownKeys(object).map((key) => [key, Object.getOwnPropertyDescriptor(object, key)]))
  const same = (a, b) =>
    a !== undefined &&
    Object.is(a.value, b.value) &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable
  return function restore() {
    const touched = []
    for (const key of Reflect.ownKeys(object)) {
      if (saved.has(key)) continue
      touched.push(key)
      if (!Reflect.deleteProperty(object, key)) throw new Error(`cannot remove ${String(key)}`)
    }
    for (const [key, descriptor] of saved) {
      if (same(Object.getOwnPropertyDescriptor(object, key), descriptor)) continue
      touched.push(key)
      if (!Reflect.defineProperty(object, key, descriptor)) throw new Error(`cannot restore ${String(key)}`)
    }
    return touched
  }
}

module.exports = { trackedTimers, ownState }
