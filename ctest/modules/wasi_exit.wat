;; Calls WASI's proc_exit: the call ends with the guest's exit status.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "exit_with") (param i32)
    (call $exit (local.get 0))))
