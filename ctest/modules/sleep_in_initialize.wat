;; A WASI reactor whose `_initialize` sleeps 30 s through poll_oneoff: the
;; time limit (or fuel) must end it like any other call.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize")
    (i32.store8 (i32.const 8) (i32.const 0))                 ;; a clock
    (i32.store (i32.const 16) (i32.const 1))                 ;; monotonic
    (i64.store (i32.const 24) (i64.const 30000000000))       ;; 30 s, relative
    (drop (call $poll (i32.const 0) (i32.const 1024) (i32.const 1) (i32.const 2048))))
  (func (export "just_add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
