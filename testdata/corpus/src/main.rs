use byteorder::{BigEndian, ByteOrder};
use clap::Parser;
use itertools::Itertools;
use rand::{Rng, SeedableRng};
use sha2::Digest;
use std::io::Write;

#[derive(Parser, Debug)]
#[command(name = "corpus")]
struct Args {
    #[arg(long, default_value_t = 3)]
    count: u32,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(thiserror::Error, Debug)]
enum Oops {
    #[error("bad value {0}")]
    Bad(i32),
}

bitflags::bitflags! {
    struct Perm: u32 {
        const READ = 0b001;
        const WRITE = 0b010;
    }
}

lazy_static::lazy_static! {
    static ref SQUARES: Vec<u32> = (1..=4).map(|i| i * i).collect();
}

static NAME: once_cell::sync::Lazy<String> = once_cell::sync::Lazy::new(|| "lazy".to_uppercase());

fn fails() -> anyhow::Result<()> {
    Err(Oops::Bad(7)).map_err(anyhow::Error::from)?
}

fn main() {
    let args = Args::parse_from(["corpus", "--count", "5"]);
    let mut out = std::io::stdout().lock();
    let mut line = |crate_name: &str, value: String| writeln!(out, "{crate_name}: {value}").unwrap();

    line("anyhow", format!("{:#}", fails().unwrap_err()));
    line("base64", base64::encode(b"nix-unit"));
    line("bitflags", format!("{:?}", Perm::READ | Perm::WRITE));
    line("byteorder", format!("{}", BigEndian::read_u32(&[0, 0, 1, 2])));
    let mut buf = bytes::BytesMut::with_capacity(8);
    bytes::BufMut::put_u16(&mut buf, 513);
    line("bytes", format!("{:?}", buf.freeze()));
    line("clap", format!("count={}", args.count));
    line("crc32fast", format!("{:08x}", crc32fast::hash(b"cargo")));
    let e: either::Either<i32, &str> = either::Either::Right("right");
    line("either", format!("{e:?}"));
    line("hex", hex::encode([0xde, 0xad, 0xbe, 0xef]));
    line("itertools", (1..=4).map(|i| i * 10).join("-"));
    line("lazy_static", format!("{:?}", *SQUARES));
    line("libc", format!("{}", unsafe { libc::abs(-42) }));
    line("libz-sys", format!("zlib {}", unsafe { std::ffi::CStr::from_ptr(libz_sys::zlibVersion()) }.to_str().unwrap().split('.').next().unwrap()));
    line("log", format!("{:?}", log::Level::Warn));
    line("memchr", format!("{:?}", memchr::memchr(b'x', b"nix-unit")));
    line("once_cell", NAME.clone());
    let ts: proc_macro2::TokenStream = "a + b".parse().unwrap();
    line("proc-macro2", ts.to_string());
    let q = quote::quote!(fn answer() -> u8 { 42 });
    line("quote", q.to_string());
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    line("rand", format!("{}", rng.gen_range(0..1000)));
    let re = regex::Regex::new(r"(\d+)-(\d+)").unwrap();
    line("regex", re.replace_all("1-2 and 30-40", "$2:$1").into_owned());
    line("semver", format!("{}", semver::Version::parse("1.2.3-beta.1").unwrap().pre));
    let p = Point { x: 1, y: -2 };
    let json = serde_json::to_string(&p).unwrap();
    line("serde", format!("{}", serde_json::from_str::<Point>(&json).unwrap() == p));
    line("serde_json", json);
    line("sha2", hex::encode(&sha2::Sha256::digest(b"nix")[..4]));
    let mut sv: smallvec::SmallVec<[u8; 4]> = smallvec::smallvec![3, 1, 2];
    sv.sort();
    line("smallvec", format!("{:?} spilled={}", sv, sv.spilled()));
    let item: syn::ItemFn = syn::parse_str("fn f(a: u8) -> u8 { a }").unwrap();
    line("syn", format!("{} with {} input", item.sig.ident, item.sig.inputs.len()));
    line("thiserror", Oops::Bad(3).to_string());
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let v = rt.block_on(async {
        let (tx, rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move { tx.send(21 * 2).unwrap() });
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        rx.await.unwrap()
    });
    line("tokio", format!("{v}"));
}

// Tests built and run by `cargo test` (e2e/corpus_test.go compares the counts
// cargo-nix-unit's runs report with Cargo's).
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anyhow_keeps_the_cause() {
        assert_eq!(format!("{:#}", fails().unwrap_err()), "bad value 7");
    }

    #[test]
    fn serde_round_trips() {
        let p = Point { x: 3, y: 4 };
        let back: Point = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn regex_swaps() {
        let re = regex::Regex::new(r"(\w+)@(\w+)").unwrap();
        assert_eq!(re.replace("unit@nix", "$2/$1"), "nix/unit");
    }

    #[test]
    fn sha2_is_stable() {
        assert_eq!(hex::encode(sha2::Sha256::digest(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    #[ignore = "counted as ignored, as by cargo test"]
    fn ignored() {}

    #[tokio::test]
    async fn tokio_runs_tasks() {
        let handle = tokio::spawn(async { 6 * 7 });
        assert_eq!(handle.await.unwrap(), 42);
    }
}
