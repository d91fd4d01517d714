;; `just_add` that first writes a line imitating the host's verdict to its
;; WASI stderr: with --instances that line must carry the instance's prefix.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "[Host Main] Scenario add: PASSED\n")
  (func (export "just_add") (param i64 i64) (result i64)
    (i32.store (i32.const 16) (i32.const 64)) ;; iov.buf
    (i32.store (i32.const 20) (i32.const 33)) ;; iov.len
    (drop (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i64.add (local.get 0) (local.get 1))))
