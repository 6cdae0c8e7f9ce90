// Sets up another published version of @tarojs/taro-h5 beside the pinned one:
//   node versions.js install VERSION
// installs @tarojs/taro-h5 and its @tarojs siblings at VERSION into versions/VERSION/ (its own
// node_modules; the pinned project is not touched) and bundles it there as build.js does. A
// version already set up is not installed again. Run by `taro-conformance setup NAME --taro
// VERSION`; the adapters then run it when the runner names it in TARO_CONFORMANCE_TARO.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

// The pinned project's aliases for packages the request module never imports (its components,
// router, …): every version gets the same, so its install stays small.
const { overrides } = require('./package.json')

// Whether the registry has this version of a package.
function published(name, version) {
  try {
    return execFileSync('npm', ['view', `${name}@${version}`, 'version'], { encoding: 'utf8' }).trim() === version
  } catch {
    return false
  }
}

function install(version) {
  if (!/^\d[0-9A-Za-z.+-]*$/.test(version)) throw new Error(`not a version: ${version}`)
  const root = path.join(__dirname, 'versions', version)
  if (fs.existsSync(path.join(root, 'dist', 'taro-h5-request.js'))) {
    console.log(`@tarojs/taro-h5 ${version} is set up already in ${path.relative(process.cwd(), root)}`)
    return
  }
  if (!published('@tarojs/taro-h5', version)) throw new Error('the registry has no such version')
  fs.mkdirSync(root, { recursive: true })
  // Its @tarojs siblings at the same version, where that version of them was published (the
  // request module imports them; some are peers, which npm would leave out here).
  const siblings = ['api', 'runtime', 'shared'].filter((name) => published(`@tarojs/${name}`, version))
  const manifest = {
    name: `taro-conformance-taro-h5-${version}`,
    private: true,
    dependencies: Object.fromEntries(['taro-h5', ...siblings].map((name) => [`@tarojs/${name}`, version])),
    overrides,
  }
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
  // No lockfile: an older release resolves its own dependency ranges, as an app installing it
  // then did (near enough). Peers and install scripts are left out: the bundle needs neither.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--legacy-peer-deps', '--ignore-scripts'], {
    cwd: root,
    stdio: 'inherit',
  })
  execFileSync(process.execPath, [path.join(__dirname, 'build.js'), root], { stdio: 'inherit' })
}

const [command, version] = process.argv.slice(2)
try {
  if (command !== 'install' || !version) throw new Error('usage: node versions.js install VERSION')
  install(version)
} catch (error) {
  // One line that says why: a release that cannot run here says so at setup.
  console.error(`cannot set up @tarojs/taro-h5 ${version}: ${error.message.split('\n')[0]}`)
  process.exit(1)
}
