;; A guest that calls back into itself through the host, forever: `outer`
;; loops on `env::reenter`, whose host calls `inner` on the same instance.
;; A limit re-armed by each nested call would never stop it.
(module
  (import "env" "reenter" (func $reenter))
  (func (export "outer") (loop $forever (call $reenter) (br $forever)))
  ;; Some work, so that each nested call burns fuel.
  (func (export "inner") (local $i i32)
    (local.set $i (i32.const 100))
    (loop $count
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (br_if $count (local.get $i)))))
