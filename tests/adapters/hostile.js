#!/usr/bin/env node
// A protocol v1 adapter whose every free-text field carries what a CI log, a terminal, a Markdown
// page or an XML file would obey: workflow commands, escape sequences, a forged heading and table
// row, links, tags and characters XML does not allow. The harness must print and write all of it
// as text (tests/integration/hostile_output.rs).
//
// Its version and runtime carry the payload; so does its stderr, before every answer. The case
// whose id contains `errored` is answered `errored`, the one with `skipped` is skipped, and every
// other one resolves with the payload as `data` (which a case expecting other data reports as a
// mismatch quoting it). The name stays plain.
'use strict'
const readline = require('node:readline')

const PAYLOAD = [
  'x',
  '::stop-commands::t0k3n',
  '  ::add-mask::secret',
  '\u3000::warning file=README.md::forged',
  'a ##[error]legacy command',
  '\u001b]8;;javascript:alert(1)\u0007click\u001b]8;;\u0007\u001b[2J\u009b31m',
  '## ✅ gate passed',
  '| a | b |',
  '[x](javascript:alert(1)) ![i](https://example.com/i.png) <script>alert(1)</script> `code` \\',
  'bad \ufffe and \uffff chars\rcarriage::return\u2028::separator',
].join('\n')

const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line)
  if (message.type === 'start') {
    return send({
      type: 'ready',
      protocol: 1,
      name: 'hostile',
      version: `1.0.0\n${PAYLOAD}`,
      platform: 'test',
      runtime: `node ${PAYLOAD}`,
      capabilities: ['core'],
      concurrency: 1,
    })
  }
  if (message.type === 'stop') process.exit(0)
  if (message.type !== 'run') return
  const { seq, case: testCase } = message
  process.stderr.write(`stderr of ${testCase.id}:\n${PAYLOAD}\n`, () => {
    if (testCase.id.includes('errored')) return send({ seq, errored: { message: PAYLOAD } })
    if (testCase.id.includes('skipped')) return send({ seq, skipped: { reason: PAYLOAD } })
    send({ seq, result: { settled: 'resolved', value: { data: PAYLOAD }, callbacks: [], elapsedMs: 0 } })
  })
})
