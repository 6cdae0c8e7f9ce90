// Another build of a platform's mini-program layer (its @tarojs/plugin-platform-NAME, with
// @tarojs/taro at the same version) beside the pinned one, in packages/NAME/versions/: see
// ../lib/versions.js. `node versions.js NAME install VERSION|LABEL`.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { platforms } = require('./models')

const [name, ...args] = process.argv.slice(2)
if (!platforms[name]) {
  console.error(`usage: node versions.js PLATFORM install VERSION, one of: ${Object.keys(platforms).join(', ')}`)
  process.exit(2)
}
const dir = path.join(__dirname, 'packages', name)
const pkg = `@tarojs/plugin-platform-${name}`
// A community plugin's release runs over the pinned @tarojs packages (models/index.js).
const pinned = () => {
  const { dependencies } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))
  return Object.fromEntries(Object.entries(dependencies).filter(([dependency]) => dependency !== pkg))
}
require('../lib/versions').main(
  {
    dir,
    pkg,
    siblings: platforms[name].community ? [] : ['@tarojs/taro'],
    fixed: platforms[name].community ? pinned() : {},
    bundle: 'taro.js',
    build: (root) => [path.join(__dirname, 'build.js'), name, root],
    // Taro's build tools (the plugin's compile-time half): the runtime never imports them.
    stub: (dependency) => ['@tarojs/service', '@tarojs/helper'].includes(dependency),
  },
  args,
)
