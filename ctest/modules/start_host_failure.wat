;; The start function hands a host function a pointer outside linear memory
;; (WASI's fd_write, an iovec list at 0xfffffff0): the host function fails,
;; so does the start.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $start
    (drop (call $fd_write (i32.const 1) (i32.const 0xfffffff0) (i32.const 1) (i32.const 16))))
  (start $start))
