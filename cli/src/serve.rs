//! `dealscore serve`: the Web API (crate `dealscore-server`) as a standalone server.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use dealscore_server::{Config, Limits, LogFormat, ServeOptions};

use crate::fail::Failure;
use crate::read;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the address is printed on stdout).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Model or model set (TOML or JSON) used when a request has no inline model; the embedded
    /// default model when omitted.
    #[arg(long)]
    model: Option<PathBuf>,
    /// Knowledge base of /v1/qa/search: a JSON array, JSON Lines or CSV (by extension); empty when
    /// omitted (every question is then unanswered and the answer names who to ask).
    #[arg(long)]
    kb: Option<PathBuf>,
    /// Require `Authorization: Bearer TOKEN` on every /v1/ route. Prefer the DEALSCORE_TOKEN
    /// environment variable, which other users cannot see in the process list.
    #[arg(long)]
    token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Seconds a request may take, from its first byte to its answer.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Worker threads for connections (default: one per core); computations run on a separate
    /// blocking pool.
    #[arg(long)]
    threads: Option<usize>,
    #[arg(long, value_enum, default_value_t = LogStyle::Text)]
    log_format: LogStyle,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LogStyle {
    /// Human-readable lines on stderr.
    Text,
    /// One JSON object per line on stderr.
    Json,
}

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let models = read::model(args.model.as_deref())?;
    let token = args.token.clone().or_else(|| std::env::var("DEALSCORE_TOKEN").ok());
    let limits = Limits {
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_secs(args.timeout.max(1)),
        ..Limits::default()
    };
    let mut config = Config::new(models).with_token(token).with_limits(limits);
    if let Some(path) = &args.kb {
        let text = read::read_text(path)?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let entries = match ext.as_str() {
            "json" => dealscore::qa::entries_from_json(&text),
            "csv" => dealscore::qa::entries_from_csv(&text),
            _ => dealscore::qa::entries_from_jsonl(&text),
        }
        .map_err(|e| Failure::at(path, None, &e))?;
        config = config.with_knowledge_base(entries).map_err(|e| Failure::at(path, None, &e))?;
    }
    if let Err(e) = limits.check_model(&config.models.to_value()) {
        let path = args.model.as_deref().unwrap_or(std::path::Path::new("model"));
        return Err(Failure::input(path, None, &e.body.code, e.body.message));
    }
    dealscore_server::init_logging(match args.log_format {
        LogStyle::Text => LogFormat::Text,
        LogStyle::Json => LogFormat::Json,
    });
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = args.threads {
        runtime.worker_threads(n.max(1));
    }
    let runtime = runtime.enable_all().build().map_err(|e| Failure::usage(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| Failure::usage(format!("cannot listen on {}: {e}", args.addr)))?;
        let addr = listener.local_addr().map_err(|e| Failure::usage(e.to_string()))?;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}").and_then(|()| out.flush());
        drop(out);
        let app = dealscore_server::router(config);
        dealscore_server::serve(listener, app, ServeOptions::default(), dealscore_server::shutdown_signal())
            .await
            .map_err(|e| Failure::usage(format!("server error: {e}")))
    })
}
/// The server allocates many small strings per request from several threads; glibc's allocator
/// spends ~40% of the CPU of a 50-activity `/v1/score` there, mimalloc a fraction (see
/// benches/server/README.md). It serves every command of the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
