// Another build of @tarojs/taro-rn beside the pinned one: see ../lib/versions.js.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '@tarojs/taro-rn',
  siblings: [],
  bundle: 'taro-rn-request.js',
  // React Native's native modules and Expo's, and Expo's Babel preset: the request module never
  // imports them (it needs React Native's fetch, which the adapter provides).
  stub: (dependency) => /^(expo-|react-native-|@react-native|@bam\.tech\/|babel-preset-expo$)/.test(dependency),
})
