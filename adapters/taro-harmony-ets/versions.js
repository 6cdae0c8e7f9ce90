// Another build of @tarojs/plugin-platform-harmony-ets beside the pinned one: see
// ../lib/versions.js.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '@tarojs/plugin-platform-harmony-ets',
  siblings: [],
  bundle: 'taro-harmony-ets-request.js',
  // The plugin's compile-time half (webpack, Babel, Taro's CLI packages): the request never imports them.
  stub: (dependency) =>
    ['webpack', 'webpack-sources', '@babel/preset-react'].includes(dependency) ||
    /^@tarojs\/(components|runner-utils|service|helper|taro)$/.test(dependency),
})
