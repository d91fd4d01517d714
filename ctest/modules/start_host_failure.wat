;; The start function calls a host function with more values than the
;; article's host records (65536): the host function fails, so does the start.
(module
  (import "env" "host_log_value" (func $log (param i32)))
  (memory (export "memory") 1)
  (func $start (local $i i32)
    (loop $again
      (call $log (local.get $i))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 70000)))))
  (start $start))
