;; The article's exports, two of them broken, for --keep-going:
;; `just_add` traps (add: TRAPPED), `point_add` writes nothing (point:
;; FAILED), the others behave (host-calls, plugin-state, verify: PASSED).
;; `calls` counts calls into this instance: a fresh instance starts at 0.
(module
  (import "env" "host_log_value" (func $log (param i32)))
  (import "env" "host_get_shared_value" (func $get (result i32)))
  (import "env" "host_set_shared_value" (func $set (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "\64\00\00\00") ;; the plugin's value: 100
  (global $calls (mut i32) (i32.const 0))
  (func $count (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "just_add") (param i64 i64) (result i64)
    unreachable)
  (func (export "trigger_host_calls") (param $x i32)
    (call $count)
    (call $log (i32.mul (local.get $x) (i32.const 2)))
    (call $set (i32.add (i32.add (call $get) (local.get $x)) (i32.const 5))))
  (func (export "point_add") (param i32 i32 i32)
    (call $count))
  (func (export "get_plugin_shared_value_ptr") (result i32)
    (call $count)
    (i32.const 1024))
  (func (export "simple_add") (param i64 i64) (result i64)
    (call $count)
    (i64.add (local.get 0) (local.get 1))))
