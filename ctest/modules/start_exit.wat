;; The start function exits through WASI (status 7): the module fails while
;; starting, a guest failure (exit 3), not a link error.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $start (call $exit (i32.const 7)))
  (start $start))
