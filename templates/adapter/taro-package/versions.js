// Another build of {{ package }} beside the pinned one, in versions/LABEL/: see
// ../lib/versions.js. `node versions.js install VERSION|LABEL`.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '{{ package }}',
  // The @tarojs packages its request imports, installed at the same version (@tarojs/taro-h5's
  // are @tarojs/api, @tarojs/runtime and @tarojs/shared, some of them peers).
  siblings: [],
  bundle: 'taro-request.js',
})
