// The native side of one React Native app on Android, as its JavaScript reaches it: the object
// an app's JavaScript engine is given as `global.nativeModuleProxy` (read by RN's own
// Libraries/BatchedBridge/NativeModules.js, then TurboModuleRegistry), holding a model of each
// native module the networking code touches. `emit(name, args)` is how native events reach
// JavaScript: RCTDeviceEventEmitter.emit, as the bridge calls it.
'use strict'
const { networkingModule } = require('./networking')
const { blobModules } = require('./blob')

function nativeModules(emit) {
  const blob = blobModules()
  return {
    Networking: networkingModule({ emit, blob }),
    BlobModule: blob.BlobModule,
    FileReaderModule: blob.FileReaderModule,
    // What Platform.android.js reads (AndroidInfoModule.getConstants): a release build on
    // Android 14; the figures are not used by the networking code.
    PlatformConstants: {
      getConstants: () => ({
        isTesting: false,
        reactNativeVersion: { major: 0, minor: 73, patch: 11, prerelease: null },
        Version: 34,
        Release: '14',
        Serial: 'unknown',
        Fingerprint: 'taro-conformance',
        Model: 'taro-conformance',
        uiMode: 'normal',
        Brand: 'taro-conformance',
        Manufacturer: 'taro-conformance',
      }),
    },
  }
}

module.exports = { nativeModules }
