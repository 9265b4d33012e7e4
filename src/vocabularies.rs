//! The vocabularies folder (`ontologies/`): every RDF file in it is published at start as a
//! dataset under the vocabulary norm (id = file name without extension), and re-published when
//! it changes. A file that fails validation is logged and its previous version stays current.

use crate::push::{Part, Push, PushReport};
use crate::rdf_file::format_of;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The norm vocabularies are published under.
pub const NORM: &str = "vocabulary";

/// How often the folder is checked for changes.
pub const POLL: Duration = Duration::from_secs(2);

/// What the watcher last saw of each file.
#[derive(Debug, Default)]
pub struct Watcher {
    seen: HashMap<PathBuf, (SystemTime, u64)>,
}

impl Watcher {
    /// Publishes every file that is new or changed since the last call; returns what happened
    /// to each (errors are also logged).
    pub fn sync(
        &mut self,
        dir: &Path,
        push: &Push<'_>,
    ) -> Vec<(PathBuf, Result<PushReport, String>)> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && format_of(p).is_some())
            .collect();
        files.sort();
        let mut outcomes = Vec::new();
        for path in files {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let stamp = (
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                meta.len(),
            );
            if self.seen.get(&path) == Some(&stamp) {
                continue;
            }
            self.seen.insert(path.clone(), stamp);
            let outcome = publish_file(&path, push);
            match &outcome {
                Ok(r) if r.status == "published" => {
                    tracing::info!("published vocabulary {} as {}", path.display(), r.version)
                }
                Ok(_) => {}
                Err(e) => tracing::error!("vocabulary {} not published: {e}", path.display()),
            }
            outcomes.push((path, outcome));
        }
        outcomes
    }
}

fn publish_file(path: &Path, push: &Push<'_>) -> Result<PushReport, String> {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or("the file name is not UTF-8")?;
    let format = format_of(path).ok_or("unknown syntax")?;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let name = path.display().to_string();
    let part = Part {
        bytes: &bytes,
        media_type: format.media_type(),
        name: &name,
    };
    push.run(id, Some(NORM), &[part], None)
        .map_err(|e| e.to_string())
}
