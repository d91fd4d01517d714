;; The start function calls `env::start_hook`, which the unit test makes fail
;; from its second call on: the first instantiation works, a re-instantiation
;; fails.
(module
  (import "env" "start_hook" (func $hook))
  (memory (export "memory") 1)
  (func $start (call $hook))
  (start $start)
  (func (export "answer") (result i32) (i32.const 42)))
