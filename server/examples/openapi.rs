//! Prints the OpenAPI 3.1 document (with the bearer scheme), e.g. to generate a client offline:
//! `cargo run -p dealscore-server --example openapi > openapi.json`.

fn main() {
    println!("{}", serde_json::to_string_pretty(&dealscore_server::openapi(true)).expect("the document serialises"));
}
