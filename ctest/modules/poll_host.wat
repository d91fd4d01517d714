;; A long-lived plugin's polling: `poll(n)` reads the host's shared value n
;; times and logs each, then returns the last value read. The article's host
;; keeps counters and a bounded window, so any n succeeds in fixed memory.
(module
  (import "env" "host_get_shared_value" (func $get (result i32)))
  (import "env" "host_log_value" (func $log (param i32)))
  (memory (export "memory") 1)
  (func (export "poll") (param $n i32) (result i32) (local $i i32) (local $value i32)
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $value (call $get))
        (call $log (local.get $value))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $again)))
    (local.get $value)))
