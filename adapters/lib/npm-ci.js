#!/usr/bin/env node
// `npm ci` in a folder, unless its node_modules was installed by this script from the very same
// package-lock.json. Several adapters share one folder's packages (the nine mini-program layers
// share ../taro-mini's, both H5 adapters ../taro-h5's); without this, setting each of them up
// deleted and reinstalled the same tree. Any change to the lockfile, or a node_modules that this
// script did not finish installing, means a full `npm ci` as before.
//
//   node ../lib/npm-ci.js [DIR]      (DIR defaults to the current folder)
'use strict'

const crypto = require('crypto')
const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')

// Kept inside node_modules, so `npm ci` itself removes it before installing.
const STAMP = '.taro-conformance-installed'

function lockDigest(dir) {
  const lock = path.join(dir, 'package-lock.json')
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex')
  } catch (e) {
    throw new Error(`${lock}: cannot read it (${e.code || e.message}); npm ci needs a committed lockfile`)
  }
}

function isCurrent(dir, digest) {
  try {
    return fs.readFileSync(path.join(dir, 'node_modules', STAMP), 'utf8').trim() === digest
  } catch {
    return false
  }
}

function npmCi(dir, label) {
  const digest = lockDigest(dir)
  if (isCurrent(dir, digest)) {
    console.log(`${label}: node_modules already installed from this package-lock.json; npm ci skipped`)
    return 0
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' })
  if (result.error) throw new Error(`npm ci in ${dir}: ${result.error.message}`)
  if (result.status !== 0) return result.status === null ? 1 : result.status
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'node_modules', STAMP), `${digest}\n`)
  return 0
}

try {
  const dir = path.resolve(process.argv[2] || '.')
  // Named from the adapters folder: `taro-mini`, `taro-mini/packages/weapp`.
  process.exitCode = npmCi(dir, path.relative(path.join(__dirname, '..'), dir) || dir)
} catch (e) {
  console.error(e.message)
  process.exitCode = 1
}
