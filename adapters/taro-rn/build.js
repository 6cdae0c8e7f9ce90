// Bundles the published @tarojs/taro-rn request function, unmodified, with React Native's fetch
// (whatwg-fetch over XMLHttpRequest) into one script for a jsdom window:
//   window.TaroUnderTest = { request }
// followed by the conformance harness (../lib/harness.js). Run at setup; dist/ is not committed.
'use strict'
const esbuild = require('esbuild')
const fs = require('node:fs')
const path = require('node:path')

async function main() {
  const outfile = path.join(__dirname, 'dist', 'taro-rn-request.js')
  await esbuild.build({
    stdin: {
      // React Native installs whatwg-fetch as its global fetch; so does this bundle (jsdom has none).
      contents: `import 'whatwg-fetch';
                 import { request } from '@tarojs/taro-rn/dist/lib/request/index.js';
                 window.TaroUnderTest = { request };`,
      resolveDir: __dirname,
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
  const version = require('@tarojs/taro-rn/package.json').version
  fs.writeFileSync(path.join(__dirname, 'dist', 'version.json'), JSON.stringify({ taroRn: version }) + '\n')
  console.log(`built ${path.relative(process.cwd(), outfile)} (${fs.statSync(outfile).size} bytes) from @tarojs/taro-rn ${version}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
