// Copies the pinned packages' files that a run mutates (targets.js), as published, into
// published/ (Stryker mutates only files of its own project). Same names and lines as the
// published files, so a survivor's line is that file's line.
'use strict'
const path = require('node:path')
const { copyPublished } = require('../../lib/mutation')
const { target, copyOf } = require('./targets')

const { name, files } = target()
const modules = path.join(__dirname, '..', 'packages', name, 'node_modules')
copyPublished(__dirname, Object.keys(files).map((file) => [path.join(modules, file), copyOf(file)]))
