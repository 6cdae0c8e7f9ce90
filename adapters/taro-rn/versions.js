// Another build of @tarojs/taro-rn beside the pinned one: see ../lib/versions.js. Only the Taro
// package is installed there; build.js bundles it with this project's React Native (0.73.11), so
// every version runs over the same React Native networking and native model.
'use strict'
require('../lib/versions').main({
  dir: __dirname,
  pkg: '@tarojs/taro-rn',
  siblings: [],
  bundle: 'taro-rn-request.js',
  // React Native's native modules and Expo's, and Expo's Babel preset: the request module never
  // imports them (it needs React Native's fetch, which build.js bundles from this project).
  stub: (dependency) => /^(expo-|react-native-|@react-native|@bam\.tech\/|babel-preset-expo$)/.test(dependency),
})
