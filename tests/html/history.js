// Opens history.html in headless Chromium (playwright-core, as installed for taro-h5-chromium)
// and checks what a reader relies on. Run by tests/integration/history_html.rs:
//
//   node tests/html/history.js EXPECT.json
//
// EXPECT.json: {page, playwright, screenshot, ids: [...], changed: N, level: {name, count},
// text: {query, count},
// package: {index, adapter}, click: {adapter, id, release, after, link, status}, hash: {adapter,
// id, release}}: click is a change the notes document, hash another cell.
// Prints one line per check ("ok …" or "FAIL …") and exits 1 when any fails.
'use strict'

const { expect, check, details, run } = require('./page')

function address (...parts) {
  return '#' + parts.map(encodeURIComponent).join('/')
}

async function visibleRows (page) {
  return page.$$eval('tr.row', (rows) => rows.filter((r) => r.offsetParent !== null).map((r) => r.id.slice(5)))
}

// Sets the fragment and waits for the page's own listener (added first) to have run.
async function setHash (page, hash) {
  await page.evaluate((h) => new Promise((resolve) => {
    window.addEventListener('hashchange', () => resolve(), { once: true })
    location.hash = h
  }), hash)
}

async function main ({ page, url, problems }) {
  await page.goto(url)
  const ids = await page.$$eval('tr.row', (rows) => rows.map((r) => r.id.slice(5)))
  const missing = expect.ids.filter((id) => !ids.includes(id))
  check(`every case has a row (${expect.ids.length})`, missing.length === 0 && ids.length === expect.ids.length,
    `missing ${JSON.stringify(missing.slice(0, 5))}, ${ids.length} rows`)
  check('every row is shown before filtering', (await visibleRows(page)).length === expect.ids.length)
  const widths = await page.$$eval(`td.track[data-p="${expect.package.index}"] > div`, (bars) => bars.map((b) => b.offsetWidth))
  check('every row of a package spans all its releases', widths.length === expect.ids.length && widths.every((w) => w === widths[0] && w > 0), JSON.stringify(widths.slice(0, 5)))

  await page.fill('#f-text', expect.text.query)
  let shown = await visibleRows(page)
  check(`the case filter "${expect.text.query}" shows ${expect.text.count} rows`, shown.length === expect.text.count, `${shown.length} rows shown`)
  await page.fill('#f-text', '')
  await page.selectOption('#f-level', expect.level.name)
  shown = await visibleRows(page)
  check(`the level filter shows the ${expect.level.count} ${expect.level.name} cases`, shown.length === expect.level.count, `${shown.length} rows shown`)
  await page.selectOption('#f-level', '')
  await page.check('#f-changed')
  shown = await visibleRows(page)
  check(`"only cases that changed" shows the ${expect.changed} that did`, shown.length === expect.changed, `${shown.length} rows shown`)
  await page.uncheck('#f-changed')
  const column = `th.pkg[data-p="${expect.package.index}"]`
  await page.uncheck(`#f-package input[value="${expect.package.index}"]`)
  check('unticking a package hides its columns', !(await page.isVisible(column)))
  await page.check(`#f-package input[value="${expect.package.index}"]`)
  check('ticking it shows them again', await page.isVisible(column))
  check('no filter left: every row shown', (await visibleRows(page)).length === expect.ids.length)

  // A click on the run that begins with a documented change shows that change and its PR.
  check('no cell is open before a click', !(await details(page)).shown)
  const run = `tr.row[id="case-${expect.click.id}"] a.run[href="${address(expect.click.adapter, expect.click.id, expect.click.release)}"]`
  await page.click(run, { position: { x: 2, y: 7 } })
  await page.waitForSelector('#details', { state: 'visible', timeout: 5000 }).catch(() => {})
  let open = await details(page)
  const hash = await page.evaluate(() => location.hash)
  check(`clicking the first release of the run opens ${expect.click.adapter}/${expect.click.id}/${expect.click.release}`,
    hash === address(expect.click.adapter, expect.click.id, expect.click.release) && open.shown && open.text.includes(expect.click.id), `${hash}: ${open.text.slice(0, 200)}`)
  check(`…with the change: in ${expect.click.release} after ${expect.click.after}`, open.text.includes(`Changed in ${expect.click.release} (after ${expect.click.after})`), open.text.slice(0, 400))
  check('…what it did before and after', await page.isVisible('#before') && await page.isVisible('#after') &&
    (await page.innerText('#after')).includes(expect.click.status), open.text.slice(0, 400))
  const pull = await page.$eval('#pull a', (a) => a.getAttribute('href')).catch(() => null)
  check('…and its pull request', pull === expect.click.link, `${pull}`)
  await page.screenshot({ path: expect.screenshot })
  // A click further right in the run opens a later release of the same run.
  const n = Number(await page.getAttribute(run, 'data-n'))
  if (n > 1) {
    await page.click(run, { position: { x: 5 * (n - 1) + 2, y: 7 } })
    await page.waitForFunction((h) => location.hash !== h, hash, { timeout: 5000 }).catch(() => {})
    open = await details(page)
    const later = await page.evaluate(() => decodeURIComponent(location.hash.split('/')[2] || ''))
    check(`a click on the run's last release opens that release (${later}) with the same change`,
      later !== expect.click.release && open.text.includes(` ${later}`) && open.text.includes(`Changed in ${expect.click.release}`), open.text.slice(0, 200))
  }
  await page.click('#close')
  check('closing hides the details', !(await details(page)).shown)

  if (expect.unlinked) {
    const u = expect.unlinked
    await setHash(page, address(u.adapter, u.id, u.release))
    const said = await page.innerText('#pull').catch(() => '')
    check(`a change with no pull request found (${u.adapter}/${u.id}/${u.release}) says what the diff shows`,
      said.includes('No pull request found') && said.includes(u.why) && !(await page.$('#pull a')), said)
    await page.click('#close')
  }

  const target = address(expect.hash.adapter, expect.hash.id, expect.hash.release)
  await page.goto('about:blank')
  await page.goto(url + target)
  open = await details(page)
  check(`opening ${target} opens that cell on load`, open.shown && open.text.includes(`${expect.hash.id} in ${expect.hash.adapter} ${expect.hash.release}`), open.text.slice(0, 200))
  await setHash(page, address(expect.click.adapter, expect.click.id))
  open = await details(page)
  check('#ADAPTER/CASE opens the case at the newest release', open.shown && open.text.includes(`${expect.click.id} in ${expect.click.adapter} `) && open.text.includes(`Changed in ${expect.click.release}`), open.text.slice(0, 200))
  await page.goto('about:blank')
  await page.goto(url + address(expect.package.adapter))
  const packages = await page.$$eval('#f-package input', (boxes) => boxes.filter((b) => b.checked).map((b) => b.value))
  check(`#${expect.package.adapter} shows that package alone`, packages.length === 1 && packages[0] === String(expect.package.index) && await page.isVisible(column), JSON.stringify(packages))

  // Crafted fragments open nothing and throw nothing.
  const A = encodeURIComponent(expect.click.adapter)
  const I = encodeURIComponent(expect.click.id)
  const R = encodeURIComponent(expect.click.release)
  const crafted = [
    '#', '#/', '#//', `#${A}/`, `#/${I}`, `#${A}//${R}`, `#${A}/${I}/`, `#${A}/${I}/${R}/`, `#${A}/${I}/${R}%20`,
    '#%', '#%/%', `#${A}/%`, `#%ZZ/${I}`, `#${A}/%E0%A4%A`, `#${A}/${I}/%ED%A0%80`,
    '#__proto__', '#constructor', `#${A}/__proto__`, `#${A}/constructor`, `#${A}/${I}/toString`,
    `#${A}/${I}/length`, `#${A}/${I}/-1`, `#${A}/${I}/99999`, '#toString/valueOf/x',
    `#${A}/a%22%5Db`, `#%22%5D/${I}`, `#${A}/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`, `#${A}/${I}%00`,
    '#' + 'a/'.repeat(100000), '#' + '%'.repeat(100000), `#${A}/` + 'x'.repeat(1 << 20)
  ]
  const before = problems.length
  const opened = []
  for (const h of crafted) {
    await page.goto('about:blank')
    await page.goto(url + h)
    if ((await details(page)).shown || await page.$('.pick')) opened.push(`on load: ${h.slice(0, 80)}`)
    await setHash(page, address(expect.click.adapter, expect.click.id, expect.click.release))
    await setHash(page, h === '#' ? '#x' : h)
    if ((await details(page)).shown || await page.$('.pick')) opened.push(`on hashchange: ${h.slice(0, 80)}`)
  }
  check(`${crafted.length} crafted fragments open nothing`, opened.length === 0, opened.join('; '))
  check('…and throw nothing', problems.length === before, problems.slice(before).join('; ').slice(0, 1000))
}

run(main)
