;; Sleeps through WASI: poll_oneoff with clock subscriptions, which Wasmtime
;; cannot interrupt. The host bounds them by the call's time limit and fuel
;; (docs/fail-safety.md). Each export returns the number of events when
;; poll_oneoff succeeded, minus its errno when it failed (poll_raw: the errno).
;;   sleep_ns N            one relative monotonic clock of N nanoseconds
;;                         (-1: 2^64-1 ns)
;;   sleep_until_ns N      one absolute monotonic clock N ns from now (read
;;                         with clock_time_get)
;;   sleep_realtime_until_ns N  the same with an absolute realtime clock
;;   sleep_two_ns A B      two relative clocks: it ends at the earlier
;;   poll_raw IN OUT N     poll_oneoff with the guest's own pointers and count
;;   sleep_fd_and_clock_ns N  a 30 s clock and stdin's read readiness (ready
;;                         at once: stdin is empty)
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  ;; subscriptions at 0 (48 bytes each), events at 1024, nevents at 2048,
  ;; the clock's reading at 2056.

  (func $clock (param $at i32) (param $id i32) (param $timeout i64) (param $flags i32)
    (i64.store (local.get $at) (i64.const 42))               ;; userdata
    (i32.store8 (i32.add (local.get $at) (i32.const 8)) (i32.const 0))  ;; clock
    (i32.store (i32.add (local.get $at) (i32.const 16)) (local.get $id))
    (i64.store (i32.add (local.get $at) (i32.const 24)) (local.get $timeout))
    (i64.store (i32.add (local.get $at) (i32.const 32)) (i64.const 0)) ;; precision
    (i32.store16 (i32.add (local.get $at) (i32.const 40)) (local.get $flags)))

  (func $now (param $id i32) (result i64)
    (drop (call $clock_time_get (local.get $id) (i64.const 1) (i32.const 2056)))
    (i64.load (i32.const 2056)))

  (func $poll_n (param $n i32) (result i32)
    (local $errno i32)
    (local.set $errno
      (call $poll (i32.const 0) (i32.const 1024) (local.get $n) (i32.const 2048)))
    (if (result i32) (local.get $errno)
      (then (i32.sub (i32.const 0) (local.get $errno)))
      (else (i32.load (i32.const 2048)))))

  (func (export "sleep_ns") (param $ns i64) (result i32)
    (call $clock (i32.const 0) (i32.const 1) (local.get $ns) (i32.const 0))
    (call $poll_n (i32.const 1)))

  (func (export "sleep_until_ns") (param $ns i64) (result i32)
    (call $clock (i32.const 0) (i32.const 1)
      (i64.add (call $now (i32.const 1)) (local.get $ns)) (i32.const 1))
    (call $poll_n (i32.const 1)))

  (func (export "sleep_realtime_until_ns") (param $ns i64) (result i32)
    (call $clock (i32.const 0) (i32.const 0)
      (i64.add (call $now (i32.const 0)) (local.get $ns)) (i32.const 1))
    (call $poll_n (i32.const 1)))

  (func (export "sleep_two_ns") (param $a i64) (param $b i64) (result i32)
    (call $clock (i32.const 0) (i32.const 1) (local.get $a) (i32.const 0))
    (call $clock (i32.const 48) (i32.const 1) (local.get $b) (i32.const 0))
    (call $poll_n (i32.const 2)))

  (func (export "sleep_fd_and_clock_ns") (param $ns i64) (result i32)
    (call $clock (i32.const 0) (i32.const 1) (local.get $ns) (i32.const 0))
    (i64.store (i32.const 48) (i64.const 7))
    (i32.store8 (i32.const 56) (i32.const 1))  ;; fd_read
    (i32.store (i32.const 64) (i32.const 0))   ;; stdin
    (call $poll_n (i32.const 2)))

  (func (export "poll_raw") (param $in i32) (param $out i32) (param $n i32) (result i32)
    (call $clock (i32.const 0) (i32.const 1) (i64.const 30000000000) (i32.const 0))
    (call $poll (local.get $in) (local.get $out) (local.get $n) (i32.const 2048))))
