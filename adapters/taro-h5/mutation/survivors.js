// Prints the score of the last `npm run mutate` on the adapter MUTATE_ADAPTER names
// (reports/mutation-ADAPTER.json) and every mutant that survived, as the markdown table
// docs/mutants.md keeps: the line of the published module, what Stryker changed there, and the
// code it changed.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const target = require('./adapter')
const { survivorsOf, cell } = require('../../lib/mutation')

const report = JSON.parse(fs.readFileSync(path.join(__dirname, `${target.report}.json`), 'utf8'))
// One file is mutated here, so the table leaves out the file column the other projects print.
const { counts, detected, viable, rows } = survivorsOf(report)
console.log(`\n${JSON.stringify(counts)}`)
console.log(`detected ${detected} of ${viable} viable mutants: ${(100 * detected / viable).toFixed(1)} %\n`)
console.log('| line | mutator | original | mutant |')
console.log('|---|---|---|---|')
for (const r of rows) console.log(`| ${r.line} | ${r.mutator} | ${cell(r.original)} | ${cell(r.replacement)} |`)
