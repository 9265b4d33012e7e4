//! `datafond routes check` and `routes export` on rule folders with each kind of mistake: every
//! finding names its file and line, and the exit code tells CI whether the rules would be used.

mod client;

use client::run;
use std::path::Path;

/// Checks a folder holding `files`; returns the exit code and the output (file paths relative).
fn check(files: &[(&str, &str)]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let d = dir.path().to_str().unwrap();
    let (code, out, _) = run(&[
        "routes",
        "check",
        "--dir",
        d,
        "--base",
        "https://data.example/",
    ]);
    (code, out.replace(&format!("{d}/"), ""))
}

const GOOD: &str = r#"# comment
[[rule]]
id = "a"
template = "https://ref.example/a/{id}"
target = "{base}a/{id}"

[[rule.test]]
from = "https://ref.example/a/1"
status = 303
location = "{base}a/1"
"#;

#[test]
fn the_presets_pass() {
    let presets = Path::new(env!("CARGO_MANIFEST_DIR")).join("routing-rules");
    let (code, out, _) = run(&["routes", "check", "--dir", presets.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("3 rules, 6 tests passed, 0 warnings"), "{out}");
}

#[test]
fn mistakes_name_file_and_line() {
    let (code, out) = check(&[("good.toml", GOOD)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 rules, 1 tests passed, 0 warnings"), "{out}");

    let (code, out) = check(&[("good.toml", GOOD), ("bad.toml", "\n\n[[rule]\nid = 1\n")]);
    assert_eq!(code, 1);
    assert!(out.contains("bad.toml:3: error: syntax"), "{out}");

    let unknown = GOOD.replace("target = \"{base}a/{id}\"", "target = \"{base}a/{code}\"");
    let (code, out) = check(&[("r.toml", &unknown)]);
    assert_eq!(code, 1);
    assert!(
        out.contains("r.toml:2: error: rule `a`: target `{base}a/{code}` uses `{code}`, which the match does not capture"),
        "{out}"
    );

    let twin = format!(
        "{GOOD}\n[[rule]]\nid = \"b\"\ntemplate = \"https://ref.example/a/{{other}}\"\ntarget = \"{{base}}b/{{other}}\"\n"
    );
    let (code, out) = check(&[("r.toml", &twin)]);
    assert_eq!(code, 1);
    assert!(out.contains("r.toml:12: error: rule `b` matches the same IRIs with the same specificity as rule `a` ("), "{out}");
    assert!(out.contains("r.toml:2)"), "{out}");

    let same_id = format!(
        "{GOOD}\n[[rule]]\nid = \"a\"\nexact = \"https://ref.example/x\"\ntarget = \"{{base}}x\"\n"
    );
    let (code, out) = check(&[("r.toml", &same_id)]);
    assert_eq!(code, 1);
    assert!(
        out.contains("r.toml:12: error: rule `a` has the same id as rule `a`"),
        "{out}"
    );

    let failing = GOOD.replace("location = \"{base}a/1\"", "location = \"{base}b/1\"");
    let (code, out) = check(&[("r.toml", &failing)]);
    assert_eq!(code, 1);
    assert!(out.contains("r.toml:2: error: rule `a`: test <https://ref.example/a/1> expected 303 to <https://data.example/b/1>, got 303 to <https://data.example/a/1> by rule `a`"), "{out}");

    let bad_code = GOOD.replace("target = ", "code = 200\ntarget = ");
    let (code, out) = check(&[("r.toml", &bad_code)]);
    assert_eq!(code, 1);
    assert!(out.contains("status code 200 is not a redirect"), "{out}");

    let open = GOOD.replace("target = \"{base}a/{id}\"", "target = \"https://{id}/a\"");
    let (code, out) = check(&[("r.toml", &open)]);
    assert_eq!(code, 1);
    assert!(
        out.contains("variables may only appear in the path"),
        "{out}"
    );
}

#[test]
fn shadowed_rules_are_warnings() {
    // The rest variable takes everything under /a/ that the one-segment template would.
    let shadow = r#"
[[rule]]
id = "all"
template = "https://ref.example/{path*}"
target = "{base}all/{path}"

[[rule]]
id = "hidden"
prefix = "https://ref.example/"
target = "{base}hidden/{rest}"
"#;
    let (code, out) = check(&[("s.toml", shadow)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("s.toml:7: warning: rule `hidden` is shadowed: <https://ref.example/datafond-probe> is answered by rule `all` (s.toml:2)"), "{out}");
    assert!(out.contains("2 rules, 0 tests passed, 1 warnings"), "{out}");
}

#[test]
fn export_writes_nginx_and_apache_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.toml"), GOOD).unwrap();
    let d = dir.path().to_str().unwrap();
    let args = |server| {
        [
            "routes",
            "export",
            server,
            "--dir",
            d,
            "--base",
            "https://data.example/",
        ]
    };
    let (code, nginx, err) = run(&args("--nginx"));
    assert_eq!(code, 0, "{err}");
    assert!(
        nginx.contains("\"~^ref\\.example/a/([^/]+)$\" \"https://data.example/a/$1\";  # a"),
        "{nginx}"
    );
    assert!(
        nginx.contains("if ($datafond_303) { return 303 $datafond_303; }"),
        "{nginx}"
    );
    let (code, apache, _) = run(&args("--apache"));
    assert_eq!(code, 0);
    assert!(
        apache.contains("RewriteCond %{HTTP_HOST} ^(ref\\.example)$ [NC]"),
        "{apache}"
    );
    assert!(
        apache.contains("RewriteRule \"^/a/([^/]+)$\" \"https://data.example/a/$1\" [R=303,L,NE]"),
        "{apache}"
    );
}
