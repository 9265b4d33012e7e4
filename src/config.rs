//! The server's settings: an optional `datafond.toml`, overridden by environment variables
//! (`DATAFOND_BASE`, `DATAFOND_LISTEN`, `DATAFOND_DATA_DIR`, `DATAFOND_AUTH_TOKENS`), overridden by
//! command-line flags. Every setting has a default; a bad value stops the start with a message
//! naming the key.

use crate::ingest::Limits;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The file read when `--config` is not given and it exists.
pub const DEFAULT_FILE: &str = "datafond.toml";

/// Where the store keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// Oxigraph on RocksDB in `data_dir`: survives restarts.
    Rocksdb,
    /// In memory: keeps nothing (tests, `--sandbox`).
    Memory,
}

/// All settings, after defaults, file, environment and flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The local IRI space: a request's IRI is `base` + its path. Ends with `/`.
    pub base: String,
    /// Address the server listens on.
    pub listen: SocketAddr,
    /// Folder of the store and the published files.
    pub data_dir: PathBuf,
    /// Store kind.
    pub store: StoreKind,
    /// Preferred languages of labels and messages, most preferred first.
    pub languages: Vec<String>,
    /// Languages in which names must be given, for norms that ask (code lists: every list and
    /// item needs a `skos:prefLabel` in each).
    pub required_languages: Vec<String>,
    /// Folder of the norms (`<norms_dir>/<id>/norm.toml`).
    pub norms_dir: PathBuf,
    /// Folder of the shapes files norms name.
    pub shapes_dir: PathBuf,
    /// Folder of vocabularies published at start and re-published when they change.
    pub ontologies_dir: PathBuf,
    /// Publish the bundled demo datasets when the store is empty.
    pub demo: bool,
    /// Size limits of one push.
    pub limits: Limits,
    /// Bearer tokens allowed to write.
    pub tokens: Vec<String>,
    /// Path prefixes (under `base`, e.g. `zdroj/`) whose IRIs answer with the 303 pattern: the
    /// thing IRI redirects to its document URL `/doc/<path>`, which negotiates.
    pub see_other: Vec<String>,
    /// Bytes of rendered views kept in memory (0 disables the cache).
    pub cache_bytes: u64,
    /// Most triples of a dataset whose norm makes it one document (a code list, a vocabulary)
    /// for the document's RDF to be made whole on request; a larger one's, negotiated at the
    /// dataset's IRI, is its current file.
    pub document_max_triples: u64,
    /// Most whole-dataset answers streamed from the store at once (TriG, N-Quads, Graph Store
    /// reads): each holds a thread of the blocking pool while its client reads; beyond, 503.
    pub max_streams: u64,
    /// Folder of routing rules (`*.toml`), reloaded when they change.
    pub routing_rules_dir: PathBuf,
    /// Whether a proxy in front sets `X-Forwarded-Host` (then it names the requested host).
    pub trust_proxy: bool,
    /// The licence of datasets that state none of their own (`license`, an IRI such as
    /// `https://creativecommons.org/licenses/by/4.0/`); none by default.
    pub license: Option<String>,
    /// Protection and caching of the SPARQL endpoint (`[sparql]`).
    pub sparql: SparqlSettings,
    /// Example queries on the query page (`[[sparql.examples]]`: title, query).
    pub sparql_examples: Vec<(String, String)>,
}

/// `[sparql]`: what one query may cost, and the result cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SparqlSettings {
    /// Seconds a query may run before it is stopped (503).
    pub timeout: u64,
    /// Most result rows (solutions or triples) of one answer.
    pub max_rows: u64,
    /// Most bytes of one answer.
    pub max_bytes: u64,
    /// Queries evaluated at once; more get 503 with `Retry-After`.
    pub max_concurrent: u64,
    /// Bytes of answers kept for repeated queries (0 disables the cache).
    pub cache_bytes: u64,
    /// Most bytes of one request: the query string of a GET, the body of a POST (413 beyond).
    pub max_request_bytes: u64,
}

impl Default for SparqlSettings {
    fn default() -> Self {
        Self {
            timeout: 30,
            max_rows: 1_000_000,
            max_bytes: 256 << 20,
            max_concurrent: 8,
            cache_bytes: 64 << 20,
            max_request_bytes: 1 << 20,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base: "http://localhost:8080/".into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: "data".into(),
            store: StoreKind::Rocksdb,
            languages: vec!["en".into(), "cs".into()],
            required_languages: vec!["cs".into()],
            norms_dir: "ofn".into(),
            shapes_dir: "shapes".into(),
            ontologies_dir: "ontologies".into(),
            demo: true,
            limits: Limits::default(),
            tokens: Vec::new(),
            see_other: Vec::new(),
            cache_bytes: 256 << 20,
            document_max_triples: 50_000,
            max_streams: 32,
            routing_rules_dir: "routing-rules".into(),
            trust_proxy: false,
            license: None,
            sparql: SparqlSettings::default(),
            sparql_examples: Vec::new(),
        }
    }
}

/// Sets `slot` to `value` when the file gives one; 0 is refused (every count and size of the
/// settings must be positive).
fn set_positive<T: Copy + PartialEq + Default>(
    slot: &mut T,
    value: Option<T>,
    key: &str,
    origin: &str,
) -> Result<(), ConfigError> {
    match value {
        Some(v) if v == T::default() => Err(ConfigError {
            origin: origin.into(),
            key: key.into(),
            message: "must be more than 0".into(),
        }),
        Some(v) => {
            *slot = v;
            Ok(())
        }
        None => Ok(()),
    }
}

/// The file's form: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    base: Option<String>,
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    store: Option<StoreKind>,
    languages: Option<Vec<String>>,
    required_languages: Option<Vec<String>>,
    norms_dir: Option<PathBuf>,
    shapes_dir: Option<PathBuf>,
    ontologies_dir: Option<PathBuf>,
    demo: Option<bool>,
    see_other: Option<Vec<String>>,
    cache_bytes: Option<u64>,
    document_max_triples: Option<u64>,
    max_streams: Option<u64>,
    routing_rules_dir: Option<PathBuf>,
    trust_proxy: Option<bool>,
    license: Option<String>,
    #[serde(default)]
    sparql: FileSparql,
    #[serde(default)]
    limits: FileLimits,
    #[serde(default)]
    auth: FileAuth,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    max_bytes: Option<usize>,
    max_triples: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSparql {
    timeout: Option<u64>,
    max_rows: Option<u64>,
    max_bytes: Option<u64>,
    max_concurrent: Option<u64>,
    cache_bytes: Option<u64>,
    max_request_bytes: Option<u64>,
    #[serde(default)]
    examples: Vec<FileExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileExample {
    title: String,
    query: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAuth {
    tokens: Option<Vec<String>>,
}

/// Settings given on the command line; they win over the file and the environment.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config`: the file to read (it must exist).
    pub config: Option<PathBuf>,
    /// `--base`.
    pub base: Option<String>,
    /// `--listen`.
    pub listen: Option<String>,
    /// `--data-dir`.
    pub data_dir: Option<PathBuf>,
    /// `--sandbox`: an in-memory store.
    pub sandbox: bool,
}

/// A setting that is wrong: the key (and where it came from) and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: `{key}`: {message}")]
pub struct ConfigError {
    /// Where the value came from: the file, an environment variable or a flag.
    pub origin: String,
    /// The key at fault.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

impl Config {
    /// Loads the settings: defaults, then the file (`--config`, else `datafond.toml` when it
    /// exists), then the environment (`env` looks a variable up), then the flags.
    pub fn load(
        overrides: &Overrides,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let mut config = Self::default();
        let path = match &overrides.config {
            Some(path) => Some(path.clone()),
            None => Some(PathBuf::from(DEFAULT_FILE)).filter(|p| p.is_file()),
        };
        if let Some(path) = path {
            config.apply_file(&path)?;
        }
        for (var, key) in [
            ("DATAFOND_BASE", "base"),
            ("DATAFOND_LISTEN", "listen"),
            ("DATAFOND_DATA_DIR", "data_dir"),
            ("DATAFOND_AUTH_TOKENS", "auth.tokens"),
        ] {
            if let Some(value) = env(var) {
                config.set(key, value, &format!("environment variable {var}"))?;
            }
        }
        let flags = [
            ("--base", "base", overrides.base.clone()),
            ("--listen", "listen", overrides.listen.clone()),
            (
                "--data-dir",
                "data_dir",
                overrides.data_dir.as_ref().map(|p| p.display().to_string()),
            ),
        ];
        for (flag, key, value) in flags {
            if let Some(value) = value {
                config.set(key, value, &format!("flag {flag}"))?;
            }
        }
        if overrides.sandbox {
            config.store = StoreKind::Memory;
        }
        Ok(config)
    }

    fn apply_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            origin: origin.clone(),
            key: "(file)".into(),
            message: format!("cannot read the configuration file: {e}"),
        })?;
        let file: File = toml::from_str(&text).map_err(|e| ConfigError {
            origin: origin.clone(),
            key: key_of_toml_error(&text, &e),
            message: e.to_string(),
        })?;
        let strings = [
            ("base", file.base),
            ("listen", file.listen),
            ("data_dir", file.data_dir.map(|p| p.display().to_string())),
        ];
        for (key, value) in strings {
            if let Some(value) = value {
                self.set(key, value, &origin)?;
            }
        }
        if let Some(store) = file.store {
            self.store = store;
        }
        if let Some(languages) = file.languages {
            check_languages(&languages).map_err(|message| ConfigError {
                origin: origin.clone(),
                key: "languages".into(),
                message,
            })?;
            self.languages = languages;
        }
        if let Some(languages) = file.required_languages {
            check_languages(&languages).map_err(|message| ConfigError {
                origin: origin.clone(),
                key: "required_languages".into(),
                message,
            })?;
            self.required_languages = languages;
        }
        let folders = [
            (&mut self.norms_dir, file.norms_dir),
            (&mut self.shapes_dir, file.shapes_dir),
            (&mut self.ontologies_dir, file.ontologies_dir),
            (&mut self.routing_rules_dir, file.routing_rules_dir),
        ];
        for (slot, value) in folders {
            if let Some(value) = value {
                *slot = value;
            }
        }
        self.demo = file.demo.unwrap_or(self.demo);
        self.trust_proxy = file.trust_proxy.unwrap_or(self.trust_proxy);
        if let Some(license) = file.license {
            let absolute = oxigraph::model::NamedNode::new(license.as_str())
                .is_ok_and(|_| license.starts_with("http://") || license.starts_with("https://"));
            if !absolute {
                return Err(ConfigError {
                    origin,
                    key: "license".into(),
                    message: format!("{license:?} is not an absolute http(s) IRI"),
                });
            }
            self.license = Some(license);
        }
        let sparql = [
            (
                "sparql.timeout",
                file.sparql.timeout,
                &mut self.sparql.timeout,
            ),
            (
                "sparql.max_rows",
                file.sparql.max_rows,
                &mut self.sparql.max_rows,
            ),
            (
                "sparql.max_bytes",
                file.sparql.max_bytes,
                &mut self.sparql.max_bytes,
            ),
            (
                "sparql.max_concurrent",
                file.sparql.max_concurrent,
                &mut self.sparql.max_concurrent,
            ),
            (
                "sparql.max_request_bytes",
                file.sparql.max_request_bytes,
                &mut self.sparql.max_request_bytes,
            ),
        ];
        for (key, value, slot) in sparql {
            set_positive(slot, value, key, &origin)?;
        }
        self.sparql.cache_bytes = file.sparql.cache_bytes.unwrap_or(self.sparql.cache_bytes);
        self.sparql_examples
            .extend(file.sparql.examples.into_iter().map(|e| (e.title, e.query)));
        if let Some(prefixes) = file.see_other {
            self.see_other = prefixes;
        }
        self.cache_bytes = file.cache_bytes.unwrap_or(self.cache_bytes);
        self.document_max_triples = file
            .document_max_triples
            .unwrap_or(self.document_max_triples);
        set_positive(
            &mut self.max_streams,
            file.max_streams,
            "max_streams",
            &origin,
        )?;
        let limits = [
            (
                "limits.max_bytes",
                file.limits.max_bytes,
                &mut self.limits.max_bytes,
            ),
            (
                "limits.max_triples",
                file.limits.max_triples,
                &mut self.limits.max_triples,
            ),
        ];
        for (key, value, slot) in limits {
            set_positive(slot, value, key, &origin)?;
        }
        if let Some(tokens) = file.auth.tokens {
            self.set_tokens(tokens, &origin)?;
        }
        Ok(())
    }

    /// Sets one string-valued key, checking it.
    fn set(&mut self, key: &str, value: String, origin: &str) -> Result<(), ConfigError> {
        let error = |message: String| ConfigError {
            origin: origin.into(),
            key: key.into(),
            message,
        };
        match key {
            "base" => self.base = check_base(&value).map_err(error)?,
            "listen" => {
                self.listen = value.parse().map_err(|_| {
                    error(format!(
                        "{value:?} is not a socket address such as 127.0.0.1:8080"
                    ))
                })?
            }
            "data_dir" if value.is_empty() => return Err(error("must not be empty".into())),
            "data_dir" => self.data_dir = value.into(),
            "auth.tokens" => {
                let tokens = value.split(',').map(|t| t.trim().to_owned()).collect();
                self.set_tokens(tokens, origin)?
            }
            _ => unreachable!("unknown configuration key {key}"),
        }
        Ok(())
    }

    fn set_tokens(&mut self, tokens: Vec<String>, origin: &str) -> Result<(), ConfigError> {
        if let Some(bad) = tokens
            .iter()
            .find(|t| t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(ConfigError {
                origin: origin.into(),
                key: "auth.tokens".into(),
                message: format!(
                    "a token must be at least 16 visible ASCII characters (one is {} long)",
                    bad.len()
                ),
            });
        }
        self.tokens = tokens;
        Ok(())
    }
}

/// `base` must be an absolute http(s) IRI ending with `/`.
fn check_base(value: &str) -> Result<String, String> {
    let iri = oxigraph::model::NamedNode::new(value)
        .map_err(|e| format!("{value:?} is not an absolute IRI: {e}"))?;
    let text = iri.into_string();
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return Err(format!("{text:?} must be an http:// or https:// IRI"));
    }
    if !text.ends_with('/') || text.contains(['?', '#']) {
        return Err(format!(
            "{text:?} must end with `/` and hold no query or fragment"
        ));
    }
    Ok(text)
}

fn check_languages(languages: &[String]) -> Result<(), String> {
    if languages.is_empty() {
        return Err("name at least one language".into());
    }
    let tag = regex::Regex::new(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$").expect("valid regex");
    match languages.iter().find(|l| !tag.is_match(l)) {
        Some(bad) => Err(format!("{bad:?} is not a BCP 47 language tag")),
        None => Ok(()),
    }
}

/// The dotted key a TOML error is about, from the line its span starts on (`section.key`).
fn key_of_toml_error(text: &str, e: &toml::de::Error) -> String {
    let Some(span) = e.span() else {
        return "(file)".into();
    };
    let mut section = String::new();
    let mut key = None;
    let lines_before_error = text
        .lines()
        .scan(0, |pos, l| {
            let start = *pos;
            *pos += l.len() + 1;
            Some((start, l))
        })
        .take_while(|(start, _)| *start <= span.start)
        .map(|(_, l)| l);
    for line in lines_before_error {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_owned();
            key = None;
        } else if let Some((k, _)) = line.split_once('=') {
            key = Some(k.trim().to_owned());
        }
    }
    match (section.is_empty(), key) {
        (true, Some(k)) => k,
        (false, Some(k)) => format!("{section}.{k}"),
        (false, None) => section,
        (true, None) => "(file)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_file(
        text: &str,
        env: &[(&str, &str)],
        flags: Overrides,
    ) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("datafond.toml");
        std::fs::write(&path, text).unwrap();
        let overrides = Overrides {
            config: Some(path),
            ..flags
        };
        Config::load(&overrides, |var| {
            env.iter()
                .find(|(k, _)| *k == var)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults_then_file_then_environment_then_flags() {
        let config = with_file("", &[], Overrides::default()).unwrap();
        assert_eq!(config, Config::default());
        let text = "base = \"https://data.example.gov/\"\nlisten = \"0.0.0.0:9000\"\n\
                    languages = [\"cs\", \"en\"]\ndocument_max_triples = 7\n[limits]\n\
                    max_triples = 5\n[auth]\ntokens = [\"0123456789abcdef\"]\n";
        let config = with_file(text, &[], Overrides::default()).unwrap();
        assert_eq!(config.base, "https://data.example.gov/");
        assert_eq!(config.document_max_triples, 7);
        assert_eq!(config.listen.port(), 9000);
        assert_eq!(config.languages, ["cs", "en"]);
        assert_eq!(config.limits.max_triples, 5);
        assert_eq!(config.tokens, ["0123456789abcdef"]);
        let env = [
            ("DATAFOND_LISTEN", "127.0.0.1:7000"),
            ("DATAFOND_AUTH_TOKENS", "aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb"),
            ("DATAFOND_DATA_DIR", "/tmp/x"),
        ];
        let flags = Overrides {
            listen: Some("127.0.0.1:7001".into()),
            sandbox: true,
            ..Overrides::default()
        };
        let config = with_file(text, &env, flags).unwrap();
        assert_eq!(config.listen.port(), 7001);
        assert_eq!(config.tokens, ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(config.store, StoreKind::Memory);
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("base = \"not an iri\"", "base"),
            ("base = \"http://x.example/no-slash\"", "base"),
            ("base = \"ftp://x.example/\"", "base"),
            ("listen = \"localhost\"", "listen"),
            ("store = \"postgres\"", "store"),
            ("languages = [\"c s\"]", "languages"),
            ("colour = \"red\"", "colour"),
            ("[limits]\nmax_bytes = 0", "limits.max_bytes"),
            ("[sparql]\ntimeout = 0", "sparql.timeout"),
            ("[sparql]\nmax_concurrent = 0", "sparql.max_concurrent"),
            ("max_streams = 0", "max_streams"),
            ("[limits]\nmax_bytes = \"big\"", "limits.max_bytes"),
            ("[auth]\ntokens = [\"short\"]", "auth.tokens"),
            ("license = \"CC-BY-4.0\"", "license"),
        ];
        for (text, key) in cases {
            let e = with_file(text, &[], Overrides::default()).unwrap_err();
            assert_eq!(e.key, key, "{text}: {e}");
        }
        let e = with_file("", &[("DATAFOND_BASE", "nope")], Overrides::default()).unwrap_err();
        assert_eq!(
            (e.key.as_str(), e.origin.as_str()),
            ("base", "environment variable DATAFOND_BASE")
        );
    }
}
