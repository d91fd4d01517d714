;; A module with the article's `just_add` and no exported memory: the `add`
;; scenario passes, the memory scenarios fail with a clear message.
(module
  (func (export "just_add") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1))))
