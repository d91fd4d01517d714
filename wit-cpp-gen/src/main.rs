//! `wasmhost-wit-cpp --wit <dir> --world <name> --out <file.hh>`: the C++
//! host bindings of a WIT world. Exit 0 when written, 2 (one line
//! `wasmhost-wit-cpp: error: ...` on stderr) for a bad command line, a WIT
//! package that does not parse, an unknown world or WIT it cannot map yet.
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};

const USAGE: &str = "usage: wasmhost-wit-cpp --wit <dir> --world <name> --out <file.hh>";

struct Args {
    wit: PathBuf,
    world: String,
    out: PathBuf,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>> {
    let (mut wit, mut world, mut out) = (None, None, None);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--wit" => &mut wit,
            "--world" => &mut world,
            "--out" => &mut out,
            other => bail!("unknown argument '{other}' ({USAGE})"),
        };
        match args.next() {
            Some(value) if !value.is_empty() => *slot = Some(value),
            _ => bail!("{arg} needs a value ({USAGE})"),
        }
    }
    match (wit, world, out) {
        (Some(wit), Some(world), Some(out)) => Ok(Some(Args {
            wit: wit.into(),
            world,
            out: out.into(),
        })),
        _ => bail!("--wit, --world and --out are required ({USAGE})"),
    }
}

fn run() -> Result<()> {
    let Some(args) = parse(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let header = wasmhost_wit_cpp::generate_from_dir(&args.wit, &args.world)?;
    std::fs::write(&args.out, header)
        .map_err(|e| anyhow::anyhow!("cannot write '{}': {e}", args.out.display()))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!(
                "wasmhost-wit-cpp: error: {}",
                wasmhost_wit_cpp::describe_error(&error)
            );
            ExitCode::from(2)
        }
    }
}
