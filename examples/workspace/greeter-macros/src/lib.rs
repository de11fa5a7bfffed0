//! A derive macro written with the compiler's own proc_macro API.
use proc_macro::{TokenStream, TokenTree};

/// `#[derive(Describe)]` adds `fn describe() -> &'static str` naming the type and its kind.
///
/// ```
/// use greeter_macros::Describe;
///
/// #[derive(Describe)]
/// struct Cone;
///
/// assert_eq!(Cone::describe(), "Cone is a struct");
/// ```
#[proc_macro_derive(Describe)]
pub fn derive_describe(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let mut kind = String::new();
    let mut name = String::new();
    while let Some(t) = tokens.next() {
        if let TokenTree::Ident(id) = &t {
            let s = id.to_string();
            if s == "struct" || s == "enum" {
                kind = s;
                if let Some(TokenTree::Ident(n)) = tokens.next() {
                    name = n.to_string();
                }
                break;
            }
        }
    }
    format!("impl {name} {{ pub fn describe() -> &'static str {{ \"{name} is a {kind}\" }} }}")
        .parse()
        .unwrap()
}
