// Prints the score of the last `npm run mutate` on the adapter MUTATE_ADAPTER names
// (reports/mutation-ADAPTER.json) and every mutant that survived, as the markdown table
// docs/mutants.md keeps: the line of the published module, what Stryker changed there, and the
// code it changed.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const target = require('./adapter')

const report = JSON.parse(fs.readFileSync(path.join(__dirname, `${target.report}.json`), 'utf8'))
// A table cell of code: one line, at most 70 characters, pipes escaped.
const cell = (text) => '`' + text.replace(/\s+/g, ' ').trim().slice(0, 70).replace(/\|/g, '\\|') + '`'
const counts = {}
const rows = []
for (const { source, mutants } of Object.values(report.files)) {
  const lines = source.split('\n')
  for (const mutant of mutants) {
    counts[mutant.status] = (counts[mutant.status] || 0) + 1
    if (mutant.status !== 'Survived' && mutant.status !== 'NoCoverage') continue
    const { start, end } = mutant.location
    const original = start.line === end.line
      ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
      : `${lines[start.line - 1].slice(start.column - 1)} …`
    rows.push(`| ${start.line} | ${mutant.mutatorName} | ${cell(original)} | ${cell(mutant.replacement || '')} |`)
  }
}
// Stryker's own definition: killed and timed-out mutants count as detected; compile and runtime
// errors are not viable and are left out.
const detected = (counts.Killed || 0) + (counts.Timeout || 0)
const viable = detected + (counts.Survived || 0) + (counts.NoCoverage || 0)
console.log(`\n${JSON.stringify(counts)}`)
console.log(`detected ${detected} of ${viable} viable mutants: ${(100 * detected / viable).toFixed(1)} %\n`)
console.log('| line | mutator | original | mutant |')
console.log('|---|---|---|---|')
for (const row of rows) console.log(row)
