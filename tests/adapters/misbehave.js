#!/usr/bin/env node
// A protocol v1 adapter that misbehaves on command, for the runner's isolation tests (and, in
// `null` mode, the protocol round-trip benchmark). It answers every case at once with a fixed
// resolved result, except the case whose id contains the mode's target:
//
//   null                 never misbehave (nor send any request: every answer is made up)
//   crash-on:ID          write to stderr, then exit(3) while running ID
//   hang-on:ID           never answer ID
//   garbage-on:ID        print a line that is not JSON instead of answering ID
//   wrong-seq-on:ID      answer ID with a seq that is not in flight
//   twice-on:ID          answer ID twice, in one write
//   exit-early:N         exit cleanly (code 0) on receiving its Nth run, without answering it
//   slow-start:MS        wait MS before answering `start`
//   wrong-type-on:ID     answer ID with a wrongly typed field (`elapsedMs: 1.5`)
//   bad-utf8-on:ID       print a line that is not UTF-8 instead of answering ID
//   surrogate-on:ID      answer ID with the value '\ud83d', half an emoji, which JSON.stringify
//                        writes as a lone surrogate escape
//   broken-answer-on:ID  answer ID with a line that starts as its answer, then is not JSON
//   bad-utf8-answer-on:ID  answer ID with a line holding a byte that is not UTF-8 in a string
//   long-line-on:ID:MB   print MB megabytes without a newline instead of answering ID
//   late-on:ID:MS        answer ID only MS ms after it arrives (past its deadline, say)
//   again-on:ID          answer ID, then answer it again 100 ms later
//   stderr-bad-utf8-on:ID  write a byte that is not UTF-8 to stderr, then a line, then answer ID
//   stderr-flood-on:ID:MB  write MB megabytes to stderr (in 1 MiB lines), then answer ID
//   ready-concurrency:N  declare `concurrency: N` (N written as given, however large)
//   ready-wrong-type     declare `concurrency: "4"` (a string)
//   versioned:V          answer every case `rejected` from version V on (the version the runner
//                        names in TARO_CONFORMANCE_TARO), `resolved` before it
//   versioned:V:FLAPPY   the same, but the first process started on version FLAPPY answers
//                        every case the other way (it leaves a file `flapped-FLAPPY` behind)
//   jitter               report every case as taking 5 ms in the 1st, 3rd, … process started in
//                        its directory and 500 ms in the others (it counts them in a file `started`)
//   big-array:N          answer every case with an array of N zeros as its value (15 million: a
//                        30 MB line)
//   env-report           answer every case with what it sees of GITHUB_ENV, GITHUB_TOKEN and PATH
//   linger:FILE          write its pid to FILE, answer nothing, ignore `stop` and keep running
//                        after stdin closes (as a browser driver may)
//   threw                answer every case as a call that threw `TypeError: Taro.request is not
//                        a function` (a build whose request is missing)
//
// A second argument N answers every case but the targeted one N ms late, so that they are in
// flight when the fault happens; a third declares that concurrency (default 4).
'use strict'
const readline = require('node:readline')

const [kind, arg, size] = (process.argv[2] || 'null').split(':')
const othersAfter = Number(process.argv[3] || 0)
const concurrency = process.argv[4] || '4'
const megabytes = Number(size || 1)
if (kind === 'linger') {
  require('node:fs').writeFileSync(arg, String(process.pid))
  setInterval(() => {}, 1000)
}
// `versioned:V:FLAPPY`: whether this process is the first one started on FLAPPY.
const flapping = (() => {
  const flappy = kind === 'versioned' && (process.argv[2] || '').split(':')[2]
  if (!flappy || process.env.TARO_CONFORMANCE_TARO !== flappy) return false
  const fs = require('node:fs')
  if (fs.existsSync(`flapped-${flappy}`)) return false
  fs.writeFileSync(`flapped-${flappy}`, '')
  return true
})()
// `jitter`: how long this process says each case took.
const jitterMs = (() => {
  if (kind !== 'jitter') return 0
  const fs = require('node:fs')
  const started = fs.existsSync('started') ? Number(fs.readFileSync('started', 'utf8')) : 0
  fs.writeFileSync('started', String(started + 1))
  return started % 2 === 0 ? 5 : 500
})()
// While stdout carries a line with no end (long-line-on), nothing else is written to it: an
// answer would end that line early, whenever the flood is slower than the other cases.
let flooding = false
const send = (message) => flooding || process.stdout.write(JSON.stringify(message) + '\n')
const result = kind === 'threw'
  ? {
      settled: 'threw',
      value: { $type: 'error', name: 'TypeError', message: 'Taro.request is not a function' },
      callbacks: [],
      elapsedMs: 0
    }
  : { settled: 'resolved', value: null, callbacks: [], elapsedMs: 0 }
let received = 0

const ready = () => {
  const declared = kind === 'ready-concurrency' ? arg : kind === 'ready-wrong-type' ? '"4"' : concurrency
  const rest = JSON.stringify({ type: 'ready', protocol: 1, name: 'misbehave', version: kind, platform: 'test', runtime: 'node', capabilities: ['core'] })
  process.stdout.write(`${rest.slice(0, -1)},"concurrency":${declared}}\n`)
}
// Writes `total` bytes to a stream in 1 MiB pieces (lines, unless `newlines` is false), each
// write awaited.
const flood = async (stream, total, newlines = true) => {
  const line = newlines ? 'B'.repeat(2 ** 20 - 1) + '\n' : 'B'.repeat(2 ** 20)
  for (let sent = 0; sent < total; sent += line.length) {
    if (!stream.write(line)) await new Promise((resolve) => stream.once('drain', resolve))
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line)
  if (message.type === 'start') {
    if (kind === 'slow-start') setTimeout(ready, Number(arg))
    else ready()
    return
  }
  if (message.type === 'stop' && kind !== 'linger') process.exit(0)
  if (message.type !== 'run' || kind === 'linger') return
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
  if (targeted && kind === 'wrong-type-on') return send({ seq, result: { ...result, elapsedMs: 1.5 } })
  if (targeted && kind === 'bad-utf8-on') return void process.stdout.write(Buffer.from([0xff, 0x0a]))
  if (targeted && kind === 'surrogate-on') return send({ seq, result: { ...result, value: '\ud83d' } })
  if (targeted && kind === 'broken-answer-on') {
    return void process.stdout.write(`{"seq":${seq},"result":{"settled":"resolved",oops}\n`)
  }
  if (targeted && kind === 'bad-utf8-answer-on') {
    const [head, tail] = JSON.stringify({ seq, result: { ...result, value: 'X' } }).split('X')
    return void process.stdout.write(Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(tail + '\n')]))
  }
  if (targeted && kind === 'long-line-on') {
    flooding = true
    return void flood(process.stdout, megabytes * 2 ** 20, false).catch(() => {})
  }
  if (targeted && kind === 'late-on') return void setTimeout(() => send({ seq, result }), Number(size))
  if (targeted && kind === 'again-on') {
    send({ seq, result })
    return void setTimeout(() => send({ seq, result }), 100)
  }
  if (targeted && kind === 'stderr-bad-utf8-on') {
    // The bad byte, then more stderr (which a reader that stopped would make fail), then the answer.
    process.stderr.write(Buffer.from([0x61, 0xff, 0x0a]))
    setTimeout(() => process.stderr.write('still writing\n'), 50)
    return void setTimeout(() => send({ seq, result }), 150)
  }
  if (targeted && kind === 'stderr-flood-on') {
    return void flood(process.stderr, megabytes * 2 ** 20).then(() => send({ seq, result }))
  }
  if (kind === 'versioned') {
    const parts = (v) => v.split('.').map(Number)
    const [a, b] = [parts(process.env.TARO_CONFORMANCE_TARO || '0.0.0'), parts(arg)]
    const since = a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
    return send({ seq, result: { ...result, settled: (since >= 0) !== flapping ? 'rejected' : 'resolved' } })
  }
  if (kind === 'jitter') return send({ seq, result: { ...result, elapsedMs: jitterMs } })
  if (kind === 'big-array') {
    const value = `[${'0,'.repeat(Number(arg) - 1)}0]`
    return void process.stdout.write(`{"seq":${seq},"result":{"settled":"resolved","value":${value},"callbacks":[],"elapsedMs":0}}\n`)
  }
  if (kind === 'env-report') {
    const seen = (name) => process.env[name] ?? null
    return send({ seq, result: { ...result, value: { GITHUB_ENV: seen('GITHUB_ENV'), GITHUB_TOKEN: seen('GITHUB_TOKEN'), PATH: seen('PATH') !== null } } })
  }
  if (!targeted && othersAfter > 0) return void setTimeout(() => send({ seq, result }), othersAfter)
  send({ seq, result })
})
