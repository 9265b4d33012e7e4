//! The rules in force while the server runs: swapped whole when the folder changes and the new
//! rules pass every check (requests in flight keep the set they started with); otherwise the old
//! rules stay and the findings are logged.

use super::rules::Diagnostic;
use super::Routes;
use crate::push::Push;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

/// The current rules, and a number that changes with every swap.
#[derive(Debug, Default)]
pub struct Live {
    current: RwLock<Arc<Routes>>,
    generation: AtomicU64,
    seen: std::sync::Mutex<Vec<(PathBuf, SystemTime, u64)>>,
}

impl Live {
    /// The rules in force.
    pub fn get(&self) -> Arc<Routes> {
        Arc::clone(&self.current.read().expect("routes lock"))
    }

    /// Changes with every swap (views showing reference IRIs depend on it).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn set(&self, routes: Routes) {
        *self.current.write().expect("routes lock") = Arc::new(routes);
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Loads `dir` when its files changed since the last call (always on the first): on success
    /// the new rules take over and are published as RDF through `push`; on failure the old ones
    /// stay. Returns the findings of a load, `None` when nothing changed.
    pub fn sync(
        &self,
        dir: &Path,
        push: &Push<'_>,
    ) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let stamps = stamps(dir);
        {
            let mut seen = self.seen.lock().expect("seen lock");
            if *seen == stamps && self.generation() > 0 {
                return None;
            }
            *seen = stamps;
        }
        let outcome = Routes::load(dir, push.base);
        match &outcome {
            Ok((routes, warnings)) => {
                for w in warnings {
                    tracing::warn!("{w}");
                }
                if let Err(e) = super::rdf::publish(routes, push) {
                    tracing::error!("routing rules not published as RDF: {e}");
                }
                tracing::info!("{} routing rules in force", routes.rules.len());
            }
            Err(findings) => {
                for f in findings {
                    tracing::error!("{f}");
                }
                tracing::error!(
                    "routing rules in {} not loaded; the previous ones stay",
                    dir.display()
                );
            }
        }
        Some(match outcome {
            Ok((routes, warnings)) => {
                self.set(routes);
                Ok(warnings)
            }
            Err(findings) => Err(findings),
        })
    }
}

/// Name, modification time and size of every rule file.
fn stamps(dir: &Path) -> Vec<(PathBuf, SystemTime, u64)> {
    let mut stamps: Vec<(PathBuf, SystemTime, u64)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
                .filter_map(|e| {
                    let meta = e.metadata().ok()?;
                    Some((e.path(), meta.modified().ok()?, meta.len()))
                })
                .collect()
        })
        .unwrap_or_default();
    stamps.sort();
    stamps
}
