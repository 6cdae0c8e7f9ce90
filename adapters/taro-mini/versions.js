// Another build of a platform's mini-program layer (its @tarojs/plugin-platform-NAME, with
// @tarojs/taro at the same version) beside the pinned one, in packages/NAME/versions/: see
// ../lib/versions.js. `node versions.js NAME install VERSION|LABEL`.
'use strict'
const path = require('node:path')
const { platforms } = require('./models')

const [name, ...args] = process.argv.slice(2)
if (!platforms[name]) {
  console.error(`usage: node versions.js PLATFORM install VERSION, one of: ${Object.keys(platforms).join(', ')}`)
  process.exit(2)
}
require('../lib/versions').main(
  {
    dir: path.join(__dirname, 'packages', name),
    pkg: `@tarojs/plugin-platform-${name}`,
    siblings: ['@tarojs/taro'],
    bundle: 'taro.js',
    build: (root) => [path.join(__dirname, 'build.js'), name, root],
    // Taro's build tools (the plugin's compile-time half): the runtime never imports them.
    stub: (dependency) => ['@tarojs/service', '@tarojs/helper'].includes(dependency),
  },
  args,
)
