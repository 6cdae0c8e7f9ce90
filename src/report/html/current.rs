//! Whether a committed `matrix.html` is current: made by this template, and embedding the same
//! columns and rows as the logs make (its data read back from the page).

use std::path::Path;

use super::{PageData, template_hash};
use crate::error::FileError;
use crate::report::links::FILE;
use crate::report::matrix::{Matrix, Row};

/// The data a page embeds, if it has any that parses.
pub fn embedded_data(page: &str) -> Option<PageData> {
    let open = "<script type=\"application/json\" id=\"matrix-data\">";
    let start = page.find(open)? + open.len();
    let end = start + page[start..].find("</script>")?;
    serde_json::from_str(&page[start..end]).ok()
}

/// Why the committed `OUT/matrix.html` is not current for `matrix`, or `None` when it is: it
/// must exist, be made by this template, and embed the same columns and rows (cases, their
/// clauses, levels, summaries and refs, and each cell's status) as `matrix.json` would hold.
/// The traffic, times and ports it shows vary from run to run and are not compared.
pub fn is_current(matrix: &Matrix, out: &Path) -> Result<Option<String>, FileError> {
    let path = out.join(FILE);
    if !path.is_file() {
        return Ok(Some(format!("{} does not exist", path.display())));
    }
    let page = std::fs::read_to_string(&path).map_err(|e| FileError::unreadable(&path, &e))?;
    if !page.contains(&template_hash()) {
        return Ok(Some(format!(
            "{} was made by another template",
            path.display()
        )));
    }
    let Some(data) = embedded_data(&page) else {
        return Ok(Some(format!(
            "{} embeds no matrix data that parses",
            path.display()
        )));
    };
    let labels: Vec<&String> = data.columns.iter().map(|c| &c.label).collect();
    if labels != matrix.columns.iter().collect::<Vec<_>>() {
        return Ok(Some(format!(
            "{} has the columns {labels:?}, the logs make {:?}",
            path.display(),
            matrix.columns
        )));
    }
    let rows = rows_of(&data);
    let now = serde_json::to_value(&matrix.rows).expect("rows serialize");
    let then = serde_json::to_value(&rows).expect("rows serialize");
    if now != then {
        let first = matrix
            .rows
            .iter()
            .find(|r| !rows.iter().any(|o| same_row(o, r)))
            .map_or_else(String::new, |r| format!(" (first: `{}`)", r.id));
        return Ok(Some(format!(
            "{} shows other rows than the logs make{first}",
            path.display()
        )));
    }
    Ok(None)
}

fn same_row(a: &Row, b: &Row) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

/// The matrix's rows as the page's data holds them.
fn rows_of(data: &PageData) -> Vec<Row> {
    data.cases
        .iter()
        .map(|(id, case)| Row {
            id: id.clone(),
            area: case.area.clone(),
            level: case.level,
            contract: case.clauses.iter().map(|c| c.id.clone()).collect(),
            summary: case.summary.clone(),
            refs: case.refs.clone(),
            statuses: data
                .columns
                .iter()
                .filter_map(|c| {
                    let cell = data.cells.get(&c.label)?.get(id)?;
                    Some((c.label.clone(), cell.status))
                })
                .collect(),
            differs: data
                .columns
                .iter()
                .filter(|c| {
                    data.cells
                        .get(&c.label)
                        .and_then(|cells| cells.get(id))
                        .is_some_and(|cell| cell.differs)
                })
                .map(|c| c.label.clone())
                .collect(),
            doubts: data
                .columns
                .iter()
                .filter_map(|c| {
                    let cell = data.cells.get(&c.label)?.get(id)?;
                    (!cell.doubts.is_empty()).then(|| (c.label.clone(), cell.doubts.clone()))
                })
                .collect(),
        })
        .collect()
}
