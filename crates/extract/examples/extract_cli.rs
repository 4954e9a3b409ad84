//! `ngoaivu extract` without the rest of the binary (for quick runs while
//! working on the reader): `cargo run --release -p ngoaivu-extract
//! --features cli --example extract_cli -- --out DIR FILE...`.

fn main() {
    let mut opts = ngoaivu_extract::cli_support::ExtractOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => opts.out = args.next().map(Into::into),
            "--date" => opts.date = args.next(),
            "--text" => {
                // Print the text a document reads to (with its page starts).
                let path = args.next().expect("--text FILE");
                let bytes = std::fs::read(&path).expect("readable file");
                match ngoaivu_extract::read_document(&bytes, Some(&path)) {
                    Ok(d) => {
                        println!("{}", d.text);
                        eprintln!(
                            "pages start at {:?}; warnings {:?}",
                            d.page_starts, d.warnings
                        );
                    }
                    Err(e) => eprintln!("{e}"),
                }
                return;
            }
            _ => opts.files.push(a.into()),
        }
    }
    let stdout = std::io::stdout();
    if let Err(e) = ngoaivu_extract::cli_support::run(&opts, &mut stdout.lock()) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
