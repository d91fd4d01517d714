;; A WASI-reactor-style module: `_initialize` must run exactly once, after
;; instantiation and before any other export.
(module
  (memory (export "memory") 2)
  (global $init_calls (mut i32) (i32.const 0))
  (func (export "_initialize")
    (global.set $init_calls (i32.add (global.get $init_calls) (i32.const 1))))
  (func (export "init_calls") (result i32) (global.get $init_calls)))
