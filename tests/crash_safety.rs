//! Crash safety with a real process: the server is killed with SIGKILL in the middle of a large
//! push — at each stage of publishing, and at arbitrary moments — then restarted. The previous
//! version must be intact and served, nothing partial visible, no orphaned files kept or served,
//! and the next push must work.

mod client;

use client::{binary, get, request, snapshot, TOKEN};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// Triples in a large push.
const LARGE: usize = 80_000;

struct Server {
    child: Child,
    url: String,
    lines: Receiver<String>,
}

impl Server {
    /// Starts `datafond serve` on `dir`, optionally pausing at a publish stage.
    fn start(dir: &Path, pause_at: Option<&str>) -> Self {
        let config = dir.join("datafond.toml");
        std::fs::write(
            &config,
            format!(
                "base = \"http://data.example/\"\nlisten = \"127.0.0.1:0\"\ndata_dir = {:?}\n\
                 demo = false\nontologies_dir = {:?}\n[auth]\ntokens = [\"{TOKEN}\"]\n",
                dir.join("data"),
                dir.join("no-vocabularies"),
            ),
        )
        .unwrap();
        let mut command = binary();
        command
            .args(["serve", "--config"])
            .arg(&config)
            .stderr(Stdio::piped())
            .stdout(Stdio::null());
        if let Some(point) = pause_at {
            command.env("DATAFOND_TEST_PAUSE_AT", point);
        }
        let mut child = command.spawn().unwrap();
        let (tx, lines) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Self {
            child,
            url: String::new(),
            lines,
        };
        let line = server.wait_for("datafond listening on ");
        let addr = line
            .split("listening on ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        server.url = format!("{addr}/");
        server
    }

    /// Waits for a line of standard error containing `needle`.
    fn wait_for(&mut self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(600))
                .unwrap_or_else(|_| panic!("the server never said {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    fn kill(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        self.child.wait().unwrap();
    }
}

/// `n` triples about `<…/zdroj/věc/i>`, each carrying `tag`.
fn big(n: usize, tag: &str) -> Vec<u8> {
    let mut out = String::with_capacity(n * 110);
    for i in 0..n {
        out.push_str(&format!(
            "<http://data.example/zdroj/v\u{11b}c/{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"{tag} {i}\"@cs .\n"
        ));
    }
    out.into_bytes()
}

/// Starts a PUT of `body` with curl in the background.
fn push_in_background(server: &Server, dir: &Path, body: &[u8]) -> Child {
    let file = dir.join("body.nt");
    std::fs::write(&file, body).unwrap();
    Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-X",
            "PUT",
            "-H",
            "Content-Type: application/n-triples",
        ])
        .args(["-H", &format!("Authorization: Bearer {TOKEN}")])
        .arg("--data-binary")
        .arg(format!("@{}", file.display()))
        .arg(format!("{}api/v1/datasets/věci", server.url))
        .spawn()
        .unwrap()
}

fn push(server: &Server, body: &[u8]) -> client::Response {
    request(
        "PUT",
        &format!("{}api/v1/datasets/věci", server.url),
        &[
            ("Content-Type", "application/n-triples"),
            ("Authorization", &format!("Bearer {TOKEN}")),
        ],
        Some(body),
    )
}

/// After a crash: the current version is `seq` with `tag`, every file belongs to a recorded
/// version, and the crashed version's IRI serves nothing.
fn assert_intact(server: &Server, dir: &Path, seq: u64, tag: &str, n: usize) {
    let api = get(&format!("{}api/v1/datasets/věci", server.url), &[]).json();
    assert_eq!(api["current"]["seq"], seq, "{api}");
    assert_eq!(api["versions"].as_array().unwrap().len() as u64, seq);
    let r = get(
        &format!("{}zdroj/věc/{}", server.url, n - 1),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains(&format!("\"{tag} {}\"@cs", n - 1)),
        "{}",
        r.text()
    );
    let files = snapshot(&dir.join("data/files"));
    for path in files.keys() {
        let version: u64 = path
            .iter()
            .nth(1)
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("an orphaned file or folder: {}", path.display()));
        assert!(
            version <= seq,
            "files of an unpublished version: {}",
            path.display()
        );
    }
    let crashed = format!("{}zdroj/datové-sady/věci/verze/{}.nt", server.url, seq + 1);
    assert_eq!(get(&crashed, &[]).status, 404);
    let dump = {
        let out = get(&format!("{}zdroj/datové-sady/věci.nt", server.url), &[]);
        assert_eq!(out.status, 200);
        out.text()
    };
    assert_eq!(
        dump.lines().count(),
        n,
        "the current file holds exactly the current version"
    );
}

#[test]
fn kill_9_mid_push_leaves_the_previous_version_intact() {
    let dir = tempfile::tempdir().unwrap();
    let small = big(10, "malá");
    let large = big(LARGE, "velká");

    let server = Server::start(dir.path(), None);
    assert_eq!(push(&server, &small).status, 201);
    server.kill();
    let mut seq = 1;
    let mut current = ("malá", 10);

    // Killed at each stage of publishing.
    for point in ["before-load-commit", "before-rename", "before-commit"] {
        let mut server = Server::start(dir.path(), Some(point));
        let mut curl = push_in_background(&server, dir.path(), &large);
        server.wait_for(&format!("paused at {point}"));
        server.kill();
        let _ = curl.wait();
        let server = Server::start(dir.path(), None);
        assert_intact(&server, dir.path(), seq, current.0, current.1);
        server.kill();
    }

    // Killed at arbitrary moments of a large push (upload, parse, validate, publish).
    for (i, delay) in [50_u64, 400, 900, 1600].into_iter().enumerate() {
        let server = Server::start(dir.path(), None);
        let tag = if i % 2 == 0 { "velká" } else { "jiná" };
        let body = big(LARGE, tag);
        let mut curl = push_in_background(&server, dir.path(), &body);
        std::thread::sleep(Duration::from_millis(delay));
        server.kill();
        let _ = curl.wait();
        let server = Server::start(dir.path(), None);
        let api = get(&format!("{}api/v1/datasets/věci", server.url), &[]).json();
        if api["current"]["seq"] == seq + 1 {
            // The push finished before the kill: it is whole.
            seq += 1;
            current = (tag, LARGE);
            eprintln!("killed after {delay} ms: the push had finished");
        } else {
            eprintln!("killed after {delay} ms: mid-push");
        }
        assert_intact(&server, dir.path(), seq, current.0, current.1);
        server.kill();
    }

    // The next push works.
    let server = Server::start(dir.path(), None);
    let r = push(&server, &big(20, "další"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["seq"], seq + 1);
    assert_intact(&server, dir.path(), seq + 1, "další", 20);
    server.kill();
}
