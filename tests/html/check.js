// Opens matrix.html in headless Chromium (playwright-core, as installed for taro-h5-chromium)
// and checks what a reader relies on. Run by tests/integration/matrix_html.rs:
//
//   node tests/html/check.js EXPECT.json
//
// EXPECT.json: {page, playwright, screenshot, ids: [...], area: {name, count}, docs: N,
// platform: LABEL, click: {column, id, reason, wire}, hash: {column, id}, support: bool,
// native: {column, id, text} (optional: a cell whose adapter reports what the layer passed the
// native API)}. Crafted fragments are made from click's column and id.
// Prints one line per check ("ok …" or "FAIL …") and exits 1 when any fails.
'use strict'

const { expect, check, details, run } = require('./page')

function fragment (column, id) {
  return '#' + encodeURIComponent(column) + '/' + encodeURIComponent(id)
}

async function visibleRows (page) {
  return page.$$eval('tr.case', (rows) => rows.filter((r) => r.offsetParent !== null).map((r) => r.dataset.id))
}

async function main ({ page, url, problems }) {
  await page.goto(url)
  const ids = await page.$$eval('tr.case', (rows) => rows.map((r) => r.dataset.id))
  const missing = expect.ids.filter((id) => !ids.includes(id))
  const extra = ids.filter((id) => !expect.ids.includes(id))
  check(`every case has a row (${expect.ids.length})`, missing.length === 0 && extra.length === 0 && ids.length === expect.ids.length,
    `missing ${JSON.stringify(missing.slice(0, 5))}, extra ${JSON.stringify(extra.slice(0, 5))}, ${ids.length} rows`)
  check('every row is shown before filtering', (await visibleRows(page)).length === expect.ids.length)

  await page.selectOption('#f-area', expect.area.name)
  let shown = await visibleRows(page)
  check(`the area filter shows only ${expect.area.name} (${expect.area.count} rows)`,
    shown.length === expect.area.count && shown.length < expect.ids.length,
    `${shown.length} rows shown`)
  await page.selectOption('#f-area', '')
  await page.check('#f-docs')
  shown = await visibleRows(page)
  check(`"differs from the docs" shows the ${expect.docs} cases where a platform does`, shown.length === expect.docs, `${shown.length} rows shown`)
  await page.uncheck('#f-docs')
  const header = `th.col[data-c="${expect.platform}"]`
  await page.uncheck(`#f-platform input[value="${expect.platform}"]`)
  check('unticking a platform hides its column', !(await page.isVisible(header)))
  await page.check(`#f-platform input[value="${expect.platform}"]`)
  check('ticking it shows the column again', await page.isVisible(header))
  check('no filter left: every row shown', (await visibleRows(page)).length === expect.ids.length)

  check('no cell is open before a click', !(await details(page)).shown)
  await page.click(`tr.case[data-id="${expect.click.id}"] a[href="${fragment(expect.click.column, expect.click.id)}"]`)
  // The page opens the cell on the fragment's hashchange, which fires after the click returns.
  await page.waitForSelector('#details', { state: 'visible', timeout: 5000 }).catch(() => {})
  let open = await details(page)
  check(`clicking ${expect.click.column}/${expect.click.id} opens its details`, open.shown && open.text.includes(expect.click.id) && open.text.includes(expect.click.column), open.text.slice(0, 200))
  check('…with the baseline\'s reason', open.text.includes(expect.click.reason), open.text.slice(0, 400))
  check('…with what each origin received', await page.isVisible('#wire') && (await page.innerText('#wire')).includes(expect.click.wire))
  check('…with what the caller got', await page.isVisible('#client'))
  check('…with the command that reproduces it', open.text.includes(`taro-conformance repro ${expect.click.id} --adapter`))
  await page.screenshot({ path: expect.screenshot })

  const target = fragment(expect.hash.column, expect.hash.id)
  await page.goto('about:blank')
  await page.goto(url + target)
  open = await details(page)
  check(`opening ${target} opens that cell on load`, open.shown && open.text.includes(expect.hash.id) && open.text.includes(` on ${expect.hash.column}`), open.text.slice(0, 200))
  // The page's own hashchange listener was added first, so it has run when this one resolves.
  await page.evaluate((h) => new Promise((resolve) => {
    window.addEventListener('hashchange', () => resolve(), { once: true })
    location.hash = h
  }), fragment(expect.click.column, expect.click.id))
  open = await details(page)
  check('changing the fragment opens the other cell', open.shown && open.text.includes(expect.click.reason))
  await page.click('#close')
  check('closing hides the details', !(await details(page)).shown)

  if (expect.native) {
    await page.goto('about:blank')
    await page.goto(url + fragment(expect.native.column, expect.native.id))
    const shown = await page.isVisible('#native')
    check(`${expect.native.column}/${expect.native.id} shows what the layer passed the native API`,
      shown && (await page.innerText('#native')).includes(expect.native.text) && !(await page.innerText('#client')).includes('"native"'),
      shown ? (await page.innerText('#native')).slice(0, 200) : 'no #native section')
    await page.goto(url)
  }

  // The support section: a mark that is not ✔ opens the first case that did not pass there.
  const links = await page.$$eval('table.support a', (as) => as.map((a) => a.getAttribute('href')))
  if (expect.support) {
    check('the support section has marks linked to their cases', links.length > 0, `${links.length} links`)
    if (links.length > 0) {
      const [column, id] = links[0].slice(1).split('/').map(decodeURIComponent)
      await page.click(`table.support a[href="${links[0]}"]`)
      // As for a cell: the page opens it on the hashchange, which fires after the click returns.
      await page.waitForSelector('#details', { state: 'visible', timeout: 5000 }).catch(() => {})
      open = await details(page)
      check(`a support mark opens ${links[0]}`, open.shown && open.text.includes(id) && open.text.includes(` on ${column}`), open.text.slice(0, 200))
      await page.click('#close')
    }
  }

  // Crafted fragments (bad percent-encoding, names Object.prototype has, CSS selector and HTML
  // metacharacters, huge ones) open nothing and throw nothing, on load and on a hashchange from
  // an open cell.
  const C = encodeURIComponent(expect.click.column)
  const I = encodeURIComponent(expect.click.id)
  const crafted = [
    '#', '#/', '#//', `#${C}/`, `#/${I}`, `#${C}//${I}`, `#${C}/${I}/`, `#${C}/${I}%20`,
    '#%', '#%/%', `#${C}/%`, `#%ZZ/${I}`, `#${C}/%E0%A4%A`, `#${C}/%ED%A0%80`, `#%C0%AF/${I}`,
    '#__proto__/__proto__', `#${C}/__proto__`, `#${C}/constructor`, `#${C}/toString`,
    `#${C}/hasOwnProperty`, `#constructor/${I}`, `#__proto__/${I}`, '#toString/valueOf',
    `#${C}/a%22%5Db`, `#${C}/'%5D%5C`, `#%22%5D/${I}`, `#${C}/${I}%22%5D%20td`, `#${C}%22%5D/${I}`,
    `#${C}/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`, `#${C}/$%26`, `#${C}/${I}%00`,
    `#${C}/a"]b`, `#${C}/<b>x</b>`, `#${C}/\\`,
    '#' + 'a/'.repeat(100000), '#' + '%'.repeat(100000), `#${C}/` + 'x'.repeat(1 << 20)
  ]
  const before = problems.length
  let opened = []
  for (const hash of crafted) {
    await page.goto('about:blank')
    await page.goto(url + hash)
    if ((await details(page)).shown || await page.$('td.cell.open')) opened.push(`on load: ${hash.slice(0, 80)}`)
    await page.evaluate((h) => { location.hash = h }, fragment(expect.click.column, expect.click.id))
    await page.waitForSelector('#details', { state: 'visible', timeout: 5000 }).catch(() => {})
    await page.evaluate((h) => new Promise((resolve) => {
      window.addEventListener('hashchange', () => resolve(), { once: true })
      location.hash = h
    }), hash === '#' ? '#x' : hash)
    if ((await details(page)).shown || await page.$('td.cell.open')) opened.push(`on hashchange: ${hash.slice(0, 80)}`)
  }
  check(`${crafted.length} crafted fragments open nothing`, opened.length === 0, opened.join('; '))
  check('…and throw nothing', problems.length === before, problems.slice(before).join('; ').slice(0, 1000))
}

run(main)
