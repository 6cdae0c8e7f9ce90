// Bundles the published @tarojs/taro-rn request function, unmodified, with React Native's fetch
// (whatwg-fetch over XMLHttpRequest) into one script for a jsdom window:
//   window.TaroUnderTest = { request }
// followed by the conformance harness (../lib/harness.js). Run at setup; dist/ is not committed.
//
// `node build.js [ROOT]` bundles the package installed under ROOT (default: this directory, the
// pinned version) into ROOT/dist; versions.js uses it for other versions.
'use strict'
const esbuild = require('esbuild')
const fs = require('node:fs')
const path = require('node:path')

// Where the request function is, by release: the first that exists is bundled.
const REQUEST_MODULES = [
  '@tarojs/taro-rn/dist/lib/request/index.js',
  '@tarojs/taro-rn/dist/api/request/index.js',
  '@tarojs/taro-rn/src/lib/request/index.ts',
]

async function main() {
  const root = path.resolve(process.argv[2] || __dirname)
  const request = REQUEST_MODULES.find((m) => fs.existsSync(path.join(root, 'node_modules', m)))
  if (!request) {
    throw new Error(`no request module of @tarojs/taro-rn under ${root}/node_modules (looked for ${REQUEST_MODULES.join(', ')})`)
  }
  const outfile = path.join(root, 'dist', 'taro-rn-request.js')
  await esbuild.build({
    stdin: {
      // React Native installs whatwg-fetch as its global fetch; so does this bundle (jsdom has none).
      contents: `import 'whatwg-fetch';
                 import { request } from '${request}';
                 window.TaroUnderTest = { request };`,
      resolveDir: root,
      sourcefile: 'taro-rn-entry.js',
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    outfile,
    legalComments: 'none',
    logLevel: 'warning',
  })
  fs.appendFileSync(outfile, '\n' + fs.readFileSync(path.join(__dirname, '..', 'lib', 'harness.js'), 'utf8'))
  const version = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@tarojs', 'taro-rn', 'package.json'), 'utf8')).version
  fs.writeFileSync(path.join(root, 'dist', 'version.json'), JSON.stringify({ taroRn: version }) + '\n')
  console.log(`built ${path.relative(process.cwd(), outfile)} (${fs.statSync(outfile).size} bytes) from @tarojs/taro-rn ${version}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
