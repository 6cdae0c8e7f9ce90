// Another build of @tarojs/taro-h5 beside the pinned one: see ../lib/versions.js.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '@tarojs/taro-h5',
  siblings: ['@tarojs/api', '@tarojs/runtime', '@tarojs/shared'],
  bundle: 'taro-h5-request.js',
})
