;; A reactor whose `_initialize` takes a parameter: a signature error (exit 2)
;; naming the type, not a failed host function.
(module
  (memory (export "memory") 1)
  (func (export "_initialize") (param i32)))
