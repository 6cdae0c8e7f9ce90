// Bundles the published @tarojs/taro-h5 request module, unmodified, into one browser script:
//   window.TaroUnderTest = { request, addInterceptor, cleanInterceptors }
// followed by the conformance harness (../lib/harness.js), which runs cases inside the page.
// Run by the adapters' setup step; the output (dist/) is not committed.
'use strict'
const esbuild = require('esbuild')
const fs = require('node:fs')
const path = require('node:path')

const REQUEST = '@tarojs/taro-h5/dist/api/network/request/index.js'

// @tarojs/runtime reads `process.env.TARO_PLATFORM === 'web' ? window : {}` when it loads: that is
// the one name that must be defined. The others fold branches that are dead on the web platform.
const define = {
  'process.env.TARO_PLATFORM': '"web"',
  'process.env.TARO_ENV': '"h5"',
  'process.env.NODE_ENV': '"production"',
  ...Object.fromEntries(
    ['ENABLE_INNER_HTML', 'ENABLE_ADJACENT_HTML', 'ENABLE_SIZE_APIS', 'ENABLE_TEMPLATE_CONTENT',
      'ENABLE_CLONE_NODE', 'ENABLE_CONTAINS', 'ENABLE_MUTATION_OBSERVER'].map((name) => [name, 'false']),
  ),
}

async function main() {
  const outfile = path.join(__dirname, 'dist', 'taro-h5-request.js')
  await esbuild.build({
    stdin: {
      contents: `import { request, addInterceptor, cleanInterceptors } from '${REQUEST}';
                 window.TaroUnderTest = { request, addInterceptor, cleanInterceptors };`,
      resolveDir: __dirname,
      sourcefile: 'taro-h5-entry.js',
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    define,
    outfile,
    legalComments: 'none',
    logLevel: 'warning',
  })
  // The harness goes after the request module in the same script.
  fs.appendFileSync(outfile, '\n' + fs.readFileSync(path.join(__dirname, '..', 'lib', 'harness.js'), 'utf8'))
  const version = require('@tarojs/taro-h5/package.json').version
  fs.writeFileSync(path.join(__dirname, 'dist', 'version.json'), JSON.stringify({ taroH5: version }) + '\n')
  console.log(`built ${path.relative(process.cwd(), outfile)} (${fs.statSync(outfile).size} bytes) from @tarojs/taro-h5 ${version}`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
