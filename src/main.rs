//! The browser entry point: everything lives in the library so native tests can reach it.

fn main() {
    hopscope_web::start();
}
