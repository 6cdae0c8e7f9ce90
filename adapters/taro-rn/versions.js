// Another build of @tarojs/taro-rn beside the pinned one: see ../lib/versions.js.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '@tarojs/taro-rn',
  siblings: [],
  bundle: 'taro-rn-request.js',
})
