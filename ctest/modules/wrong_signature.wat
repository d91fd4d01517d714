;; `just_add` with i32 instead of the article's i64 parameters and result:
;; the `add` scenario cannot call it.
(module
  (memory (export "memory") 1)
  (func (export "just_add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
