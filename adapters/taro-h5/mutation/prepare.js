// Copies the pinned @tarojs/taro-h5's request module, as published, into taro-h5-request/ (the
// file Stryker mutates: it mutates only files of its own project). Same name and lines as the
// published file, so a survivor's line is that file's line.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { requestModule } = require('../build')

const adapterDir = path.join(__dirname, '..')
const source = path.join(adapterDir, 'node_modules', requestModule(adapterDir))
const copy = path.join(__dirname, 'taro-h5-request', 'index.js')
fs.mkdirSync(path.dirname(copy), { recursive: true })
fs.copyFileSync(source, copy)
console.log(`mutating ${path.relative(adapterDir, source)}`)
