;; Imports a function the host does not provide: a link error naming it.
(module
  (import "env" "mystery" (func $mystery (param i32)))
  (func (export "just_add") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1))))
