//! The parity fixture served on `127.0.0.1:$PORT` (default 4322).
//!
//! ```text
//! cargo run --example parity
//! curl -s -XPOST -H 'content-type: application/json' -d '{"name":"Ada"}' http://127.0.0.1:4322/_actions/greet
//! ```
//!
//! With the feature `typescript`, it writes the fixture's client module instead, and exits:
//!
//! ```text
//! cargo run --features typescript --example parity -- --typescript actions.ts --javascript actions.js
//! ```

mod app;

/// What the command line asks for: the files to write, if any.
struct Args {
    typescript: Option<String>,
    javascript: Option<String>,
}

fn args() -> std::io::Result<Args> {
    let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, message);
    let mut parsed = Args {
        typescript: None,
        javascript: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--typescript" => &mut parsed.typescript,
            "--javascript" => &mut parsed.javascript,
            _ => {
                return Err(invalid(format!(
                    "unknown argument `{arg}`; expected --typescript <path> or --javascript <path>"
                )));
            }
        };
        *slot = Some(
            args.next()
                .ok_or_else(|| invalid(format!("`{arg}` needs a path")))?,
        );
    }
    Ok(parsed)
}

/// Writes the client modules asked for.
#[cfg(feature = "typescript")]
fn write_modules(args: &Args) -> std::io::Result<()> {
    let generator = app::typescript();
    if let Some(path) = &args.typescript {
        std::fs::write(path, generator.typescript())?;
        println!("wrote the TypeScript client to {path}");
    }
    if let Some(path) = &args.javascript {
        std::fs::write(path, generator.javascript())?;
        println!("wrote the JavaScript client to {path}");
    }
    Ok(())
}

#[cfg(not(feature = "typescript"))]
fn write_modules(_: &Args) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "built without the feature `typescript`: run with `cargo run --features typescript --example parity -- …`",
    ))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = args()?;
    if args.typescript.is_some() || args.javascript.is_some() {
        return write_modules(&args);
    }
    let port = app::port_from_env(4322)?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!(
        "parity fixture listening on http://{}",
        listener.local_addr()?
    );
    axum::serve(listener, app::app()).await
}
