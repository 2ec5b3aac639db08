//! wasm32 exports for `run.mjs`: a buffer for the input, the decoder dispatch, and
//! the message of the last panic (a panic traps; the hook keeps its message).

#![allow(clippy::missing_safety_doc)]

pub mod dispatch;

use std::cell::RefCell;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A buffer of `len` bytes for the next input; its address.
#[no_mangle]
pub extern "C" fn fz_input(len: usize) -> *mut u8 {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("{info}");
        PANIC.with(|p| *p.borrow_mut() = msg);
    }));
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        b.clear();
        b.resize(len, 0);
        b.as_mut_ptr()
    })
}

/// Decodes the input with decoder `id`: `-1` for `Err`, else the hash of the
/// re-encoded value (31 bits).
#[no_mangle]
pub extern "C" fn fz_run(id: u32, arg: u32) -> i32 {
    let bytes = INPUT.with(|b| b.borrow().clone());
    match dispatch::run(id as u8, arg, &bytes) {
        None => -1,
        Some(h) => (h & 0x7fff_ffff) as i32,
    }
}

/// The last panic message: its length, after copying it into the input buffer.
#[no_mangle]
pub extern "C" fn fz_panic_message() -> usize {
    let msg = PANIC.with(|p| p.borrow().clone());
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        b.clear();
        b.extend_from_slice(msg.as_bytes());
        b.len()
    })
}

/// Address of the input buffer (after `fz_panic_message`).
#[no_mangle]
pub extern "C" fn fz_buffer() -> *const u8 {
    INPUT.with(|b| b.borrow().as_ptr())
}
