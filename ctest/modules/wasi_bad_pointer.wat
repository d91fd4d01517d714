;; Hands a host function a pointer outside linear memory: WASI's fd_write gets
;; an iovec list at 0xfffffff0 in a one-page memory. WASI traps on an
;; out-of-bounds pointer, so the host function fails and so does the call.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "write_bad_iovec") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0xfffffff0) (i32.const 1) (i32.const 16))))
