#!/usr/bin/env node
// A protocol v1 adapter that misbehaves on command, for the runner's isolation tests (and, in
// `null` mode, the protocol round-trip benchmark). It answers every case at once with a fixed
// resolved result, except the case whose id contains the mode's target:
//
//   null                 never misbehave
//   crash-on:ID          write to stderr, then exit(3) while running ID
//   hang-on:ID           never answer ID
//   garbage-on:ID        print a line that is not JSON instead of answering ID
//   wrong-seq-on:ID      answer ID with a seq that is not in flight
//   twice-on:ID          answer ID twice, in one write
//   exit-early:N         exit cleanly (code 0) on receiving its Nth run, without answering it
//   slow-start:MS        wait MS before answering `start`
'use strict'
const readline = require('node:readline')

const [kind, arg] = (process.argv[2] || 'null').split(':')
const send = (message) => process.stdout.write(JSON.stringify(message) + '\n')
const result = { settled: 'resolved', value: null, callbacks: [], elapsedMs: 0 }
let received = 0

const ready = () =>
  send({ type: 'ready', protocol: 1, name: 'misbehave', version: kind, platform: 'test', runtime: 'node', capabilities: ['core'], concurrency: 4 })

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line)
  if (message.type === 'start') {
    if (kind === 'slow-start') setTimeout(ready, Number(arg))
    else ready()
    return
  }
  if (message.type === 'stop') process.exit(0)
  if (message.type !== 'run') return
  const { seq, case: testCase } = message
  received += 1
  if (kind === 'exit-early' && received >= Number(arg)) process.exit(0)
  const targeted = arg !== undefined && testCase.id.includes(arg)
  if (targeted && kind === 'crash-on') {
    process.stderr.write(`about to crash on ${testCase.id}\n`, () => process.exit(3))
    return
  }
  if (targeted && kind === 'hang-on') return
  if (targeted && kind === 'garbage-on') return void process.stdout.write('this is not json\n')
  if (targeted && kind === 'wrong-seq-on') return send({ seq: seq + 1000, result })
  if (targeted && kind === 'twice-on') {
    return void process.stdout.write(JSON.stringify({ seq, result }) + '\n' + JSON.stringify({ seq, result }) + '\n')
  }
  send({ seq, result })
})
