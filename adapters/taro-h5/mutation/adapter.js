// Which H5 adapter the mutants run through: taro-h5-jsdom (the default) or taro-h5-chromium,
// named by MUTATE_ADAPTER. Each has its own baseline and its own report, so the two runs' results
// stand side by side.
'use strict'
const ADAPTERS = ['taro-h5-jsdom', 'taro-h5-chromium']

const adapter = process.env.MUTATE_ADAPTER || 'taro-h5-jsdom'
if (!ADAPTERS.includes(adapter)) {
  throw new Error(`MUTATE_ADAPTER is ${JSON.stringify(adapter)}: it must be one of ${ADAPTERS.join(', ')}`)
}

module.exports = { adapter, report: `reports/mutation-${adapter}` }
