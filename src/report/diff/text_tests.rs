use super::*;

#[test]
fn the_counts_name_applicability_and_informational_changes_only_when_there_are_some() {
    let change = |c: Change| RunDiff {
        changes: vec![c],
        unchanged: 3,
        ..RunDiff::default()
    };
    let id = String::new;
    let mut all = RunDiff {
        changes: vec![
            Change::Fixed {
                id: id(),
                was: Status::Fail,
                mismatches: vec![],
            },
            Change::Broken {
                id: id(),
                now: Status::Fail,
                mismatches: vec![],
            },
            Change::Broken {
                id: id(),
                now: Status::Fail,
                mismatches: vec![],
            },
            Change::FailsDifferently {
                id: id(),
                was: Status::Fail,
                now: Status::Error,
                before: vec![],
                after: vec![],
            },
            Change::NowApplicable {
                id: id(),
                now: Status::Pass,
                mismatches: vec![],
            },
            Change::NowApplicable {
                id: id(),
                now: Status::Pass,
                mismatches: vec![],
            },
            Change::NoLongerApplicable {
                id: id(),
                was: Status::Pass,
                lacks: vec![],
            },
            Change::InformationalChanged {
                id: id(),
                before: vec![],
                after: vec![],
            },
            Change::New {
                id: id(),
                now: Status::Pass,
            },
            Change::New {
                id: id(),
                now: Status::Pass,
            },
            Change::New {
                id: id(),
                now: Status::Pass,
            },
            Change::Removed {
                id: id(),
                was: Status::Pass,
            },
        ],
        unchanged: 7,
        ..RunDiff::default()
    };
    assert_eq!(
        all.counts(),
        "1 fixed · 2 broken · 1 failing differently · 2 now applicable · 1 no longer applicable · 1 informational behaving differently · 3 new · 1 removed · 7 unchanged"
    );
    all.changes
        .retain(|c| !matches!(c, Change::NowApplicable { .. }));
    assert!(
        all.counts()
            .contains(" · 0 now applicable · 1 no longer applicable · ")
    );
    let no_longer = change(Change::NoLongerApplicable {
        id: id(),
        was: Status::Pass,
        lacks: vec![],
    });
    assert!(!no_longer.broke());
    assert_eq!(
        no_longer.counts(),
        "0 fixed · 0 broken · 0 failing differently · 0 now applicable · 1 no longer applicable · 0 new · 0 removed · 3 unchanged"
    );
    let fixed = change(Change::Fixed {
        id: id(),
        was: Status::Fail,
        mismatches: vec![],
    });
    assert_eq!(
        fixed.counts(),
        "1 fixed · 0 broken · 0 failing differently · 0 new · 0 removed · 3 unchanged"
    );
    let now = change(Change::NowApplicable {
        id: id(),
        now: Status::Pass,
        mismatches: vec![],
    });
    assert!(
        now.counts()
            .contains(" · 1 now applicable · 0 no longer applicable · ")
    );
    let fails = change(Change::FailsDifferently {
        id: id(),
        was: Status::Fail,
        now: Status::Fail,
        before: vec![],
        after: vec![],
    });
    assert!(!fails.broke());
}

#[test]
fn the_markdown_lists_each_section_in_order_with_both_sides_of_each_change() {
    let capability = Capability::ALL[0];
    let diff = RunDiff {
        old: "a@1".into(),
        new: "a@2".into(),
        changes: vec![
            Change::Removed {
                id: "r".into(),
                was: Status::Fail,
            },
            Change::New {
                id: "n".into(),
                now: Status::Timeout,
            },
            Change::InformationalChanged {
                id: "i".into(),
                before: vec![],
                after: vec!["x\ny".into()],
            },
            Change::NowApplicable {
                id: "na".into(),
                now: Status::Fail,
                mismatches: vec!["m".into()],
            },
            Change::NoLongerApplicable {
                id: "nl".into(),
                was: Status::Fail,
                lacks: vec![capability, Capability::ALL[1]],
            },
            Change::Fixed {
                id: "f".into(),
                was: Status::Crash,
                mismatches: vec!["m1".into()],
            },
            Change::FailsDifferently {
                id: "d".into(),
                was: Status::Fail,
                now: Status::Error,
                before: vec!["b".into()],
                after: vec!["a".into()],
            },
            Change::Broken {
                id: "b".into(),
                now: Status::Fail,
                mismatches: vec!["m2".into(), "m3".into()],
            },
        ],
        unchanged: 1,
        shared: vec![],
    };
    let (c, d) = (capability.as_str(), Capability::ALL[1].as_str());
    let sections = format!(
        "\n## Broken\n\n- `b`: passed, now fail\n  - m2\n  - m3\n\
         \n## Failing differently\n\n- `d`: fail → error\n  - before: b\n  - now: a\n\
         \n## Fixed\n\n- `f`: was crash, passes now\n  - was: m1\n\
         \n## No longer applicable\n\n- `nl`: was fail, now not applicable (the adapter lacks {c}, {d})\n\
         \n## Now applicable\n\n- `na`: was not applicable, now fail\n  - m\n\
         \n## Informational: behaves differently\n\n- `i`: passes either way (informational)\n  - before: as the docs suggest\n  - now: x y\n\
         \n## New\n\n- `n`: timeout\n\
         \n## Removed\n\n- `r`: was fail\n"
    );
    assert_eq!(
        diff.markdown(),
        format!("# a@1 → a@2\n\n{}\n{sections}", diff.counts())
    );
    assert_eq!(
        diff.markdown_titled(Some("t")),
        format!(
            "### t\n\n`a@1` → `a@2`: {}\n{}",
            diff.counts(),
            sections.replace("\n## ", "\n#### ")
        )
    );
    let informational = RunDiff {
        changes: vec![Change::InformationalChanged {
            id: "i".into(),
            before: vec!["x".into()],
            after: vec![],
        }],
        ..RunDiff::default()
    };
    assert!(
        informational
            .markdown()
            .ends_with("\n  - before: x\n  - now: as the docs suggest\n"),
        "{}",
        informational.markdown()
    );
}

#[test]
fn each_change_knows_its_case_and_its_section() {
    let changes = [
        Change::Broken {
            id: "1".into(),
            now: Status::Fail,
            mismatches: vec![],
        },
        Change::FailsDifferently {
            id: "2".into(),
            was: Status::Fail,
            now: Status::Fail,
            before: vec![],
            after: vec![],
        },
        Change::Fixed {
            id: "3".into(),
            was: Status::Fail,
            mismatches: vec![],
        },
        Change::NoLongerApplicable {
            id: "4".into(),
            was: Status::Fail,
            lacks: vec![],
        },
        Change::NowApplicable {
            id: "5".into(),
            now: Status::Fail,
            mismatches: vec![],
        },
        Change::InformationalChanged {
            id: "6".into(),
            before: vec![],
            after: vec![],
        },
        Change::New {
            id: "7".into(),
            now: Status::Fail,
        },
        Change::Removed {
            id: "8".into(),
            was: Status::Fail,
        },
    ];
    let ids: Vec<&str> = changes.iter().map(Change::id).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7", "8"]);
    let sections: Vec<&str> = changes.iter().map(Change::section).collect();
    assert_eq!(sections, SECTIONS);
}
