//! The docs loop: the `@supported` and `@default` tags of `Taro.request` in `@tarojs/taro`'s type
//! definitions (`types/api/network/request.d.ts`), from which Taro's docs print their support
//! tables, compared with the evidence (the support page's marks, [`crate::report::support`]) and with the
//! docs page this suite's contract reads (`specs/contract.yaml`).
//!
//! A member without a `@supported` tag inherits one: an option or a result field the tag of
//! `TaroStatic.request`, a method of `RequestTask` the tag of the interface. Each disagreement is
//! a [`Finding`]; [`fix`] rewrites the tags the evidence settles, and [`patch`] turns that into a
//! unified diff that applies to Taro's repository (`packages/taro/types/…`, `git apply`) or, with
//! `-p3`, to an installed package. A finding displays as the line `dts` prints; [`markdown`]
//! is the report (`docs-check.md`), and [`is_current`] says whether the committed one is.
//!
//! ```
//! use taro_conformance::check::dts::TypeDefs;
//! let text = "interface TaroStatic {\n  /** @supported weapp, h5 */\n  request(option: any): any\n}\n\
//!             namespace request {\n  interface Option {\n    /** a\n     * @default 60000\n     */\n    timeout?: number\n  }\n}\n";
//! let defs = TypeDefs::parse(text, "request.d.ts".as_ref()).unwrap();
//! let timeout = defs.member(taro_conformance::check::dts::Owner::Option, "timeout").unwrap();
//! assert_eq!(timeout.default.as_ref().unwrap().value, "60000");
//! assert_eq!(defs.supported(timeout), ["weapp", "h5"]);
//! ```

mod compare;
mod parse;
mod report;
mod rewrite;

pub use compare::{Evidence, Finding, Kind, check};
pub use parse::{MAX_BYTES, MAX_DEPTH, MAX_MEMBERS, Member, Owner, Tag, TypeDefs};
pub use report::{is_current, markdown, write};
pub use rewrite::{fix, patch};

use std::path::{Path, PathBuf};

/// Where the type definitions sit inside the `@tarojs/taro` package.
pub const DTS_IN_PACKAGE: &str = "types/api/network/request.d.ts";

/// Where the same file sits in Taro's repository (the patch's paths).
pub const DTS_IN_REPOSITORY: &str = "packages/taro/types/api/network/request.d.ts";

/// The pinned `@tarojs/taro` whose type definitions CI checks: the one the WeChat layer installs,
/// the same version as the H5 adapters'.
pub const PINNED_PACKAGE: &str = "adapters/taro-mini/packages/weapp/node_modules/@tarojs/taro";

/// The committed result of the check, under the report directory.
pub const REPORT_FILE: &str = "docs-check.md";

/// The installed `@tarojs/taro` of a version, found under `adapters/` (the pinned packages and
/// the versions set up beside them).
pub fn find_package(version: &str) -> Result<PathBuf, String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new("adapters")
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.ends_with("node_modules/@tarojs/taro/package.json") {
            let package = path.parent().expect("a package.json's folder");
            let v = package_version(package);
            if v.as_deref() == Some(version) {
                return Ok(package.to_path_buf());
            }
            if let Some(v) = v {
                found.push(v);
            }
        }
    }
    found.sort();
    found.dedup();
    Err(format!(
        "no installed @tarojs/taro {version} under adapters/ (installed: {}); set one up with \
         `taro-conformance setup taro-h5-jsdom --taro {version}`",
        if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        }
    ))
}

/// The version in a package folder's `package.json`. The package is under test: a file over
/// 1 MiB is not read, and nothing of it but `version` is kept.
pub fn package_version(package: &Path) -> Option<String> {
    use std::io::Read;
    #[derive(serde::Deserialize)]
    struct Manifest {
        version: Option<String>,
    }
    const MAX_BYTES: u64 = 1 << 20;
    let mut text = Vec::new();
    std::fs::File::open(package.join("package.json"))
        .ok()?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut text)
        .ok()?;
    if text.len() as u64 > MAX_BYTES {
        return None;
    }
    serde_json::from_slice::<Manifest>(&text).ok()?.version
}

#[cfg(test)]
mod tests {
    use super::rewrite::rewrite_supported;
    use super::*;

    const DTS: &str = "declare module 'x' {
  namespace request {
    interface SuccessCallbackResult<T extends string | ArrayBuffer = any>
      extends TaroGeneral.CallbackResult {
      /** 调用结果 */
      errMsg: string
    }
  }
  /** 网络请求任务对象
   * @supported weapp, h5
   */
  interface RequestTask<T> extends Promise<T> {
    /** 中断请求任务
     * @supported weapp, alipay 支付宝: 10.1.70+, tt
     */
    abort(): void
    onHeadersReceived(callback: any): void
  }
  interface TaroStatic {
    /** @supported weapp, h5, rn */
    request<T = any>(option: any): RequestTask<T>
  }
}
";

    fn defs() -> TypeDefs {
        TypeDefs::parse(DTS, Path::new("request.d.ts")).unwrap()
    }

    #[test]
    fn a_declaration_whose_brace_is_on_the_next_line_still_names_its_block() {
        let defs = defs();
        let errmsg = defs.member(Owner::Result, "errMsg").unwrap();
        assert_eq!((errmsg.line, errmsg.comment), (6, Some((5, 5))));
        // Untagged: the function's platforms.
        assert_eq!(defs.supported(errmsg), ["weapp", "h5", "rn"]);
    }

    #[test]
    fn a_task_method_inherits_the_interface_and_a_tag_item_keeps_only_its_platform() {
        let defs = defs();
        let abort = defs.member(Owner::Task, "abort").unwrap();
        assert_eq!(defs.supported(abort), ["weapp", "alipay", "tt"]);
        let on = defs.member(Owner::Task, "onHeadersReceived").unwrap();
        assert_eq!(defs.supported(on), ["weapp", "h5"]);
    }

    #[test]
    fn a_rewritten_tag_keeps_the_items_it_keeps_as_they_were_written() {
        let defs = defs();
        let tag = defs
            .member(Owner::Task, "abort")
            .unwrap()
            .supported
            .clone()
            .unwrap();
        let line = DTS.lines().nth(tag.line - 1).unwrap();
        assert_eq!(
            rewrite_supported(line, &tag, &["tt".into()], &["h5".into(), "weapp".into()]),
            "     * @supported weapp, alipay 支付宝: 10.1.70+, h5"
        );
    }

    #[test]
    fn an_unclosed_block_or_comment_is_refused_with_the_file() {
        let error =
            TypeDefs::parse("interface TaroStatic {\n  /** x\n", Path::new("r.d.ts")).unwrap_err();
        assert!(
            error.to_string().starts_with("r.d.ts: unbalanced"),
            "{error}"
        );
    }

    #[test]
    fn a_package_version_is_read_from_a_bounded_package_json() {
        let dir = tempfile::tempdir().unwrap();
        let json = dir.path().join("package.json");
        std::fs::write(
            &json,
            r#"{"name": "@tarojs/taro", "version": "4.2.1", "x": [[1]]}"#,
        )
        .unwrap();
        assert_eq!(package_version(dir.path()).as_deref(), Some("4.2.1"));
        let padded = format!(r#"{{"version": "4.2.1", "x": "{}"}}"#, "a".repeat(1 << 20));
        std::fs::write(&json, padded).unwrap();
        assert_eq!(package_version(dir.path()), None);
        std::fs::write(&json, r#"{"version": 4}"#).unwrap();
        assert_eq!(package_version(dir.path()), None);
    }

    #[test]
    fn what_a_file_holds_is_bounded_and_a_bound_crossed_is_located() {
        // Each `{` past the depth limit once cost a block on the stack: a file of them, memory
        // in proportion.
        let nested = format!(
            "interface TaroStatic {{
  {}
",
            "{".repeat(1 << 20)
        );
        let error = TypeDefs::parse(&nested, Path::new("r.d.ts")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "r.d.ts:2:66: blocks nested more than 64 deep"
        );
        let members = format!(
            "interface TaroStatic {{
{}}}
",
            "  a: 1\n".repeat(10_001)
        );
        let error = TypeDefs::parse(&members, Path::new("r.d.ts")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "r.d.ts:10002: more than 10000 members: not the type definitions of Taro.request"
        );
        // A comment keeps its tags, not its lines: a long one still gives them.
        let long = DTS.replace(
            "/** @supported weapp, h5, rn */",
            &format!(
                "/**\n{} * @supported weapp, h5\n{} */",
                " *\n".repeat(100_000),
                " * @supported tt\n".repeat(3)
            ),
        );
        let defs = TypeDefs::parse(&long, Path::new("r.d.ts")).unwrap();
        let request = defs.member(Owner::Static, "request").unwrap();
        assert_eq!(defs.supported(request), ["weapp", "h5"]);
    }
}
