//! Starting the server: settings → norms → storage (with crash recovery) → demo data on an empty
//! store → vocabularies → routing rules → listen. `datafond serve` runs it in the foreground; tests start it in
//! the background on an ephemeral port.

use crate::config::Config;
use crate::norm::{NormError, Norms};
use crate::store::Storage;
use crate::vocabularies::Watcher;
use crate::web::App;
use oxigraph::store::StorageError;
use std::net::SocketAddr;
use std::sync::Arc;

/// Why the server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A norm is broken (file and line in the message).
    #[error("norm: {0}")]
    Norm(#[from] NormError),
    /// The store could not be opened or recovered.
    #[error("store: {0}")]
    Storage(#[from] StorageError),
    /// The demo data could not be published.
    #[error("demo data: {0}")]
    Demo(#[from] crate::push::PushError),
    /// The routing rules do not pass their checks (every finding, with file and line).
    #[error("routing rules:\n{0}")]
    Routes(String),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A prepared server: state loaded, socket bound.
pub struct Server {
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    watcher: Watcher,
}

impl Server {
    /// Loads norms and storage, publishes demo data (on an empty store) and vocabularies, and
    /// binds the socket.
    pub async fn start(config: Config) -> Result<Self, StartError> {
        let norms = Norms::load(
            &config.norms_dir,
            &config.shapes_dir,
            &config.required_languages,
        )?;
        let storage = Storage::open(config.store, &config.data_dir)?;
        storage.rebuild_missing_files(&norms)?;
        // An eighth of the cache memory keeps labels, an eighth code lists' rows, the rest
        // rendered views.
        let eighth = config.cache_bytes / 8;
        let labels = crate::describe::LabelCache::new(eighth);
        let list_rows = crate::describe::code_list::RowsCache::new(eighth);
        let views = crate::web::read::view_cache(config.cache_bytes - 2 * eighth);
        let sparql = crate::web::sparql::Endpoint::new(&config.sparql);
        let streams = usize::try_from(config.max_streams).unwrap_or(usize::MAX);
        let app = Arc::new(App {
            sparql,
            config,
            norms,
            storage,
            views,
            labels,
            list_rows,
            routes: Default::default(),
            long_views: crate::web::read::long_view_permits(),
            streams: Arc::new(tokio::sync::Semaphore::new(streams)),
        });
        let setup = Arc::clone(&app);
        let watcher = tokio::task::spawn_blocking(move || -> Result<Watcher, StartError> {
            if setup.config.demo && setup.storage.registry().is_empty() {
                for report in crate::demo::publish(&setup.push())? {
                    tracing::info!(
                        "demo dataset {}: {} version {} ({} triples)",
                        report.dataset_iri,
                        report.status,
                        report.version,
                        report.triples
                    );
                }
            }
            let mut watcher = Watcher::default();
            watcher.sync(&setup.config.ontologies_dir, &setup.push());
            if let Some(Err(findings)) = setup
                .routes
                .sync(&setup.config.routing_rules_dir, &setup.push())
            {
                let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
                return Err(StartError::Routes(lines.join("\n")));
            }
            Ok(watcher)
        })
        .await
        .expect("setup panicked")?;
        let addr = app.config.listen;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Listen { addr, source })?;
        Ok(Self {
            app,
            listener,
            watcher,
        })
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound socket has an address")
    }

    /// Serves until `shutdown` completes; watches the vocabularies folder meanwhile.
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) {
        let watched = Arc::clone(&self.app);
        let mut watcher = self.watcher;
        // The watcher polls until the sender is dropped, i.e. until the server has stopped.
        let (stop_watching, stopped) = std::sync::mpsc::channel::<()>();
        let watcher = tokio::task::spawn_blocking(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                stopped.recv_timeout(crate::vocabularies::POLL)
            {
                watched.storage.refresh_schedule();
                watcher.sync(&watched.config.ontologies_dir, &watched.push());
                watched
                    .routes
                    .sync(&watched.config.routing_rules_dir, &watched.push());
            }
        });
        let service = crate::web::service(Arc::clone(&self.app));
        // One HTTP worker per core, as nginx's `worker_processes auto`.
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let served = crate::web::workers::serve(self.listener, service, workers, shutdown).await;
        if let Err(e) = served {
            tracing::error!("server error: {e}");
        }
        drop(stop_watching);
        let _ = watcher.await;
    }
}

/// A server running on its own thread and runtime (for tests and tools).
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// The server's root URL, e.g. `http://127.0.0.1:43123/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stops the server and waits until its storage is closed.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Starts the server on its own thread and runtime; returns once it is listening.
pub fn spawn(config: Config) -> Result<Running, StartError> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
        runtime.block_on(async move {
            match Server::start(config).await {
                Ok(server) => {
                    let _ = ready_tx.send(Ok(server.local_addr()));
                    server
                        .run(async {
                            let _ = stop_rx.await;
                        })
                        .await;
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
        });
    });
    let addr = ready_rx.recv().expect("the server thread answers")?;
    Ok(Running {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

/// `datafond serve`: starts the server and serves until Ctrl-C or SIGTERM.
pub fn run_until_signal(config: Config) -> Result<(), StartError> {
    let runtime = tokio::runtime::Runtime::new().map_err(StorageError::Io)?;
    runtime.block_on(async move {
        let base = config.base.clone();
        let server = Server::start(config).await?;
        eprintln!(
            "datafond listening on http://{} (base {base})",
            server.local_addr()
        );
        if server.app.config.demo && !server.app.storage.registry().is_empty() {
            eprintln!(
                "try: curl -H 'Accept: text/turtle' {base}{}",
                crate::demo::EXAMPLE_PATHS[0]
            );
        }
        server.run(shutdown_signal()).await;
        Ok(())
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
