// Copies the pinned @tarojs/taro-rn's request module, as published, into taro-rn-request/ (the
// file Stryker mutates: it mutates only files of its own project). Same name and lines as the
// published file, so a survivor's line is that file's line.
'use strict'
const path = require('node:path')
const { copyPublished } = require('../../lib/mutation')
const { requestModule } = require('../build')

const adapterDir = path.join(__dirname, '..')
copyPublished(__dirname, [[path.join(adapterDir, 'node_modules', requestModule(adapterDir)), 'taro-rn-request/index.js']])
