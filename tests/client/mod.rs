//! Test helpers: a real HTTP client (curl), a server started in-process on an ephemeral port,
//! the real binary, and snapshots of a data folder.
#![allow(dead_code)]

pub mod code_lists;
pub mod things;

use datafond::config::{Config, StoreKind};
use datafond::serve::{spawn, Running};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A write token the test servers accept.
pub const TOKEN: &str = "test-token-0123456789";

/// A response as curl saw it.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// A gzipped body, uncompressed.
pub fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut out).unwrap();
    out
}

/// The triples of an RDF document (the graph a response body carries).
pub fn parse(body: &[u8], format: oxigraph::io::RdfFormat) -> oxigraph::model::Graph {
    oxigraph::io::RdfParser::from_format(format)
        .for_slice(body)
        .map(|q| oxigraph::model::Triple::from(q.unwrap()))
        .collect()
}

/// Sends a request with curl: `method url`, headers, optional body. The URL is sent as given
/// (`--path-as-is`; non-ASCII characters go raw on the wire).
pub fn request(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Response {
    let dir = tempfile::tempdir().unwrap();
    let (head, out) = (dir.path().join("head"), dir.path().join("body"));
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-S", "--path-as-is", "-X", method, "-H", "Expect:"])
        .arg("--dump-header")
        .arg(&head)
        .arg("--output")
        .arg(&out);
    if method == "HEAD" {
        cmd.arg("--head");
    }
    for (name, value) in headers {
        cmd.arg("-H").arg(format!("{name}: {value}"));
    }
    if body.is_some() {
        cmd.args(["--data-binary", "@-"]);
    }
    cmd.arg(url).stdin(Stdio::piped());
    let mut child = cmd.spawn().expect("curl runs");
    if let Some(body) = body {
        // The server may answer (413) before reading everything: ignore a broken pipe.
        let _ = child.stdin.take().unwrap().write_all(body);
    }
    drop(child.stdin.take());
    let status = child.wait().unwrap();
    assert!(status.success(), "curl {method} {url} failed");
    let head = std::fs::read_to_string(&head).unwrap();
    let mut lines = head.lines();
    let status_line = lines.next().expect("a status line");
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    // With --head, curl reads no body (it writes the headers to the output file instead).
    let body = if method == "HEAD" {
        Vec::new()
    } else {
        std::fs::read(&out).unwrap_or_default()
    };
    Response {
        status,
        headers,
        body,
    }
}

/// GET with headers.
pub fn get(url: &str, headers: &[(&str, &str)]) -> Response {
    request("GET", url, headers, None)
}

/// PUT `body` as `media_type` to `/api/v1/datasets/{id}` (with the test token).
pub fn push(server: &Running, id: &str, media_type: &str, body: &[u8]) -> Response {
    let url = format!("{}api/v1/datasets/{id}", server.url());
    let auth = format!("Bearer {TOKEN}");
    request(
        "PUT",
        &url,
        &[("Content-Type", media_type), ("Authorization", &auth)],
        Some(body),
    )
}

/// Settings for a test server: memory store (or RocksDB in `data_dir`), ephemeral port, base
/// `http://data.example/`, the test token, the repository's norms, no vocabularies folder.
pub fn config(data_dir: Option<&Path>) -> Config {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Config {
        base: "http://data.example/".into(),
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.map_or_else(|| PathBuf::from("unused"), Path::to_path_buf),
        store: if data_dir.is_some() {
            StoreKind::Rocksdb
        } else {
            StoreKind::Memory
        },
        norms_dir: root.join("ofn"),
        shapes_dir: root.join("shapes"),
        ontologies_dir: root.join("tests/no-such-folder"),
        routing_rules_dir: root.join("tests/no-such-folder"),
        demo: false,
        tokens: vec![TOKEN.into()],
        ..Config::default()
    }
}

/// Starts a server in-process.
pub fn start(config: Config) -> Running {
    spawn(config).expect("the server starts")
}

/// The URL of an IRI under the test base, on `server`.
pub fn url_of(server: &Running, iri: &str) -> String {
    let path = iri
        .strip_prefix("http://data.example/")
        .expect("an IRI under the base");
    format!("{}{path}", server.url())
}

/// Every file under `dir` with its bytes: a snapshot to compare byte for byte.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// The `datafond` binary.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_datafond"))
}

/// Runs the binary with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = binary().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a Python `script` (a real client: rdflib, SPARQLWrapper) with `args`; its standard
/// output, after checking that it succeeded.
pub fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs one of the browser scripts of `tests/a11y` (`script`, with `args`) in Node.js, which drive
/// Debian's headless Chromium through playwright-core; its standard output. Panics, with what
/// it printed, if it fails.
pub fn browser_script(script: &str, args: &[String]) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/a11y");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "axe-core and playwright-core are installed in tests/a11y (`make test` runs \
         `npm ci --prefix tests/a11y`)"
    );
    let out = Command::new("node")
        .current_dir(&dir)
        .arg(script)
        .args(args)
        .output()
        .expect("node runs (Node.js 18 or later; `make test` installs Debian's when missing)");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script}: {stdout}{stderr}");
    stdout
}
