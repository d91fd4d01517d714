;; A start function that sleeps 2^64-1 ns through poll_oneoff (about 584
;; years): instantiation must end at the time limit (or with the fuel).
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func $start
    (i32.store8 (i32.const 8) (i32.const 0))                 ;; a clock
    (i32.store (i32.const 16) (i32.const 1))                 ;; monotonic
    (i64.store (i32.const 24) (i64.const -1))                ;; 2^64-1 ns, relative
    (drop (call $poll (i32.const 0) (i32.const 1024) (i32.const 1) (i32.const 2048))))
  (start $start)
  (func (export "just_add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
