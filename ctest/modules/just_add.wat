;; The article's `just_add` and nothing else (no WASI call): what runs when
;; threads cannot be had.
(module
  (memory (export "memory") 1)
  (func (export "just_add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1))))
