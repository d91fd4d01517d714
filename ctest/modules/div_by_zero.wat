;; Integer division: `divide 1 0` traps with "integer divide by zero".
(module
  (func (export "divide") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
