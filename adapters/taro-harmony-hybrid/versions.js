// Another build of @tarojs/plugin-platform-harmony-hybrid beside the pinned one: see
// ../lib/versions.js. The plugin brings the @tarojs packages of its own release.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '@tarojs/plugin-platform-harmony-hybrid',
  siblings: [],
  bundle: 'taro-harmony-hybrid-request.js',
  // The plugin's compile-time half and the H5 app's UI: the request never imports them. (axios
  // stays: 3.6.25–3.6.30 load it with the bridge, for a request path they leave switched off.)
  stub: (dependency) =>
    ['babel-plugin-transform-taroapi', 'change-case', 'lodash-es', 'query-string', 'react'].includes(dependency) ||
    /^@tarojs\/(components|components-react|helper|plugin-platform-h5|router|service)$/.test(dependency),
})
